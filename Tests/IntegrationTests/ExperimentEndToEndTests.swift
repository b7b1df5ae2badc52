import Foundation
import Hummingbird
import HummingbirdTesting
import Server
@testable import Engine
@testable import Ranking
@testable import ShopData
import Support
import Testing

/// The A/B framework end to end against the real PostgreSQL and Redis: a product manager creates
/// and starts a two-variant experiment through the API, synthetic shoppers (`ShopperSimulator`,
/// loopback only, bounded) browse the homepage and click with a probability that grows with true
/// relevance, and the results API must find the variant that is known to be better — then the
/// dashboard, loaded in a real headless Chromium, must show the numbers the API answered.
@Suite(.enabled(if: ServerTestEnvironment.available, "needs POSTGRES_URL and REDIS_URL (scripts/test.sh starts them)"))
struct ExperimentEndToEndTests {
    /// 6 categories × 14 products, all old (no new-arrival boost) and none promoted, so the only
    /// difference between the arms is how they rank.
    static let catalogBatch: String = {
        var items: [String] = []
        for category in ["Kitchen", "Garden", "Lighting", "Toys", "Stationery", "Bath"] {
            for i in 0..<14 {
                items.append(
                    #"{"product_id":"\#(category.lowercased())-\#(i)","name":"\#(category) piece \#(i)","category":"\#(category)","price":\#(5 + i),"created_at":"2020-01-01T00:00:00Z"}"#
                )
            }
        }
        return #"{"products":[\#(items.joined(separator: ","))]}"#
    }()

    /// Control: popularity only, with the default category cap (at most 3 of a category in the
    /// top 10). Treatment: collaborative evidence only and no cap, so a shopper's favourite
    /// category fills the list — known to be better for shoppers who click what they like.
    static let experiment = #"""
        {"key":"e2e-personalisation","description":"popularity vs collaborative","widgets":["homepage"],
         "variants":[
           {"key":"popularity","weight":0.5,"parameters":{"alpha":0,"beta":0,"gamma":1,"rerank_window":0}},
           {"key":"collaborative","weight":0.5,"parameters":{"alpha":0,"beta":1,"gamma":0,"rerank_window":0,"disabled_rules":["diversity"]}}
         ]}
        """#

    @Test func theResultsAPIFindsTheBetterVariantAndTheDashboardShowsIt() async throws {
        // The daily rollup behind the dashboard's charts runs every 0.2 s instead of every minute.
        try await ServerTestEnvironment.withServer(configure: { $0.rollupInterval = 0.2 }) { client in
            var (status, _) = try await client.json("/v1/products:batch", method: .post, body: Self.catalogBatch)
            #expect(status == 200)
            (status, _) = try await client.json("/v1/experiments", method: .post, body: Self.experiment)
            #expect(status == 201)
            (status, _) = try await client.json("/v1/experiments/e2e-personalisation/start", method: .post)
            #expect(status == 200)

            let port = try #require(client.port)
            var simulation = ShopperSimulator.Configuration(baseURL: URL(string: "http://127.0.0.1:\(port)")!)
            simulation.shoppers = 240
            simulation.sessionsPerShopper = 3
            simulation.concurrency = 8
            simulation.maxDuration = 120
            simulation.maxRequests = 5_000
            simulation.seed = 7
            simulation.userPrefix = "e2e"
            let report = try await ShopperSimulator(configuration: simulation).run()
            #expect(report.errors == 0, "\(report)")
            #expect(report.requests >= 600, "\(report)")

            // Exposures are written asynchronously in batches: wait until every response is counted.
            var results: [String: Any] = [:]
            for _ in 0..<100 {
                let (_, json) = try await client.json("/v1/experiments/e2e-personalisation/results")
                results = json
                let exposures = Self.variants(results).reduce(0) { $0 + ($1["exposures"] as? Int ?? 0) }
                if exposures >= report.requests { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            let variants = Self.variants(results)
            try #require(variants.count == 2, "\(results)")
            #expect(variants.map { $0["variant_key"] as? String } == ["popularity", "collaborative"])
            #expect(variants.allSatisfy { ($0["users"] as? Int ?? 0) > 80 }, "\(variants)")

            let lift = try #require((variants[1]["lift"] as? [String: Any])?["ctr"] as? [String: Any])
            let relative = try #require(lift["relative"] as? Double)
            let pValue = try #require(lift["p_value"] as? Double)
            #expect(relative > 0, "CTR lift \(relative)")
            #expect(pValue < 0.05, "CTR lift p = \(pValue)")
            let sampleRatio = try #require(results["sample_ratio"] as? [String: Any])
            #expect(sampleRatio["mismatch"] as? Bool == false, "\(sampleRatio)")

            // The dashboard in a real browser shows the same numbers the API answered.
            guard let chromium = HeadlessChromium.find() else {
                Issue.record("chromium is not installed (scripts/test.sh installs Debian's package)")
                return
            }
            let url = "http://127.0.0.1:\(port)/dashboard"
            var dom = try await chromium.dumpDOM(url: url)
            for _ in 0..<20 where !dom.contains("<svg") {
                try await Task.sleep(for: .milliseconds(250))
                dom = try await chromium.dumpDOM(url: url)
            }
            #expect(dom.contains("e2e-personalisation"))
            for variant in variants {
                let key = try #require(variant["variant_key"] as? String)
                for metric in ["ctr", "revenue_per_user"] {
                    let expected = try #require((variant[metric] as? [String: Any])?["value"] as? Double)
                    let shown = try #require(
                        HeadlessChromium.dataValue(in: dom, experiment: "e2e-personalisation", variant: key, metric: metric),
                        "no \(metric) cell for \(key)")
                    #expect(abs(shown - expected) <= 1e-12 * max(1, abs(expected)), "\(key) \(metric): page \(shown), API \(expected)")
                }
            }
            #expect(dom.contains("<svg"))
            #expect(!dom.contains("srm-warning"))
            // Two variants fit a 1,280 px window: no horizontal scroll, neither the page's nor the table's.
            let layout = try await chromium.layout(html: dom, width: 1280)
            #expect(layout.windowWidth == 1280, "\(layout)")
            #expect(layout.pageWidth <= layout.windowWidth, "\(layout)")
            #expect(layout.overflowing == 0, "\(layout)")
            // A picture of the page for the docs (`.local/dashboard-e2e.png`; not asserted).
            try? await chromium.screenshot(
                url: url, to: StorageTestEnvironment.repositoryRoot.appendingPathComponent(".local/dashboard-e2e.png").path)
        }
    }

    /// A `PUT` that sets the status gets the times `start` and `stop` give: the results window
    /// is measured from `starts_at`.
    @Test func aStatusSetByPutIsStampedAsStartAndStopStampIt() async throws {
        try await ServerTestEnvironment.withServer { client in
            var (status, json) = try await client.json("/v1/experiments", method: .post, body: Self.experiment)
            #expect(status == 201)
            #expect(json["starts_at"] == nil)
            let running = Self.experiment.replacingOccurrences(of: #""widgets":["homepage"],"#, with: #""widgets":["homepage"],"status":"running","#)
            (status, json) = try await client.json("/v1/experiments/e2e-personalisation", method: .put, body: running)
            #expect(status == 200)
            #expect(json["status"] as? String == "running")
            let started = try #require(json["starts_at"] as? String)
            (_, json) = try await client.json("/v1/experiments/e2e-personalisation")
            #expect(json["starts_at"] as? String == started, "stored, not only answered")
        }
    }

    /// The administration routes one by one: create (a draft), a duplicate key, edit, start, the
    /// homepage then carrying the experiment, stop (the homepage no longer does), and the
    /// transitions and keys the service must refuse.
    @Test func theLifecycleRoutesStartAndStopAnExperiment() async throws {
        try await ServerTestEnvironment.withServer { client in
            var (status, json) = try await client.json("/v1/products:batch", method: .post, body: Self.catalogBatch)
            #expect(status == 200)
            (status, json) = try await client.json("/v1/experiments", method: .post, body: Self.experiment)
            #expect(status == 201)
            #expect(json["status"] as? String == "draft")
            (status, json) = try await client.json("/v1/experiments", method: .post, body: Self.experiment)
            #expect(status == 409)
            #expect(errorField(json) == "key")

            let edited = Self.experiment.replacingOccurrences(
                of: "popularity vs collaborative", with: "popularity against collaborative evidence")
            (status, json) = try await client.json("/v1/experiments/e2e-personalisation", method: .put, body: edited)
            #expect(status == 200)
            (status, json) = try await client.json("/v1/experiments/e2e-personalisation")
            #expect(json["description"] as? String == "popularity against collaborative evidence")

            let homepage = "/v1/recommendations/homepage?user_id=lifecycle-shopper&limit=5"
            (_, json) = try await client.json(homepage)
            #expect(json["experiment"] == nil, "a draft assigns nobody")

            (status, json) = try await client.json("/v1/experiments/e2e-personalisation/start", method: .post)
            #expect(status == 200)
            #expect(json["status"] as? String == "running")
            #expect(json["starts_at"] is String)
            (_, json) = try await client.json(homepage)
            let experiment = json["experiment"] as? [String: Any]
            #expect(experiment?["key"] as? String == "e2e-personalisation")
            #expect(["popularity", "collaborative"].contains(experiment?["variant"] as? String ?? ""))

            (status, json) = try await client.json("/v1/experiments/e2e-personalisation/stop", method: .post)
            #expect(status == 200)
            #expect(json["status"] as? String == "stopped")
            #expect(json["ends_at"] is String)
            (_, json) = try await client.json(homepage)
            #expect(json["experiment"] == nil, "a stopped experiment assigns nobody")
            (status, json) = try await client.json("/v1/experiments")
            let listed = (json["experiments"] as? [[String: Any]]) ?? []
            #expect(listed.map { $0["status"] as? String } == ["stopped"])

            (status, json) = try await client.json("/v1/experiments/e2e-personalisation/start", method: .post)
            #expect(status == 409, "a stopped experiment does not restart")
            #expect(errorField(json) == "status")
            for action in ["start", "stop"] {
                (status, json) = try await client.json("/v1/experiments/none/\(action)", method: .post)
                #expect(status == 404, "\(action)")
                #expect(errorField(json) == "key")
            }
        }
    }

    static func variants(_ results: [String: Any]) -> [[String: Any]] {
        (results["variants"] as? [[String: Any]]) ?? []
    }
}
