import Domain
import Foundation
import Storage
import Testing
@testable import Experiments

enum ExperimentSQLEnvironment {
    static let postgresURL = ProcessInfo.processInfo.environment["POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
}

/// The experiment SQL against a real PostgreSQL (`POSTGRES_URL`), each test in a fresh schema
/// with the repository's migrations applied.
@Suite(
    "Experiment SQL on PostgreSQL",
    .enabled(if: ExperimentSQLEnvironment.postgresURL != nil, "POSTGRES_URL is not set: skipping the experiment SQL tests"))
struct ExperimentSQLTests {
    /// `$2` of the rollup and results statements: the service passes its configured window
    /// (`ServiceConfiguration.attributionWindow`, 24 hours by default) as `interval` text.
    static let attributionWindow = "24 hours"

    static let migrations = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("migrations").path

    func withMigratedSchema(_ body: (PostgresClient) async throws -> Void) async throws {
        let url = try #require(ExperimentSQLEnvironment.postgresURL)
        let schema = "exp_\(UInt32.random(in: 0...UInt32.max))"
        let admin = PostgresClient(configuration: PostgresConfiguration(url: url, poolSize: 1))
        try await admin.execute("CREATE SCHEMA \(schema)")
        let client = PostgresClient(configuration: PostgresConfiguration(url: url, poolSize: 2, searchPath: schema))
        do {
            try await Migrator(client: client, directory: Self.migrations).migrate()
            try await body(client)
        } catch {
            await client.close()
            _ = try? await admin.execute("DROP SCHEMA \(schema) CASCADE")
            await admin.close()
            throw error
        }
        await client.close()
        try await admin.execute("DROP SCHEMA \(schema) CASCADE")
        await admin.close()
    }

    static func date(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    /// Exposures on 2026-11-20/21 and events that exercise each attribution rule.
    func seed(_ client: PostgresClient) async throws {
        let exposures = [
            ExposureRecord(requestID: "r1", userID: "u1", widget: "homepage", experimentKey: "e", variantKey: "control",
                           items: ["p1", "p2", "p3"], latencyMilliseconds: 10, createdAt: Self.date("2026-11-20T10:00:00Z")),
            ExposureRecord(requestID: "r2", userID: "u2", widget: "homepage", experimentKey: "e", variantKey: "treatment",
                           items: ["p1", "p4"], latencyMilliseconds: 30, createdAt: Self.date("2026-11-20T11:00:00Z")),
            ExposureRecord(requestID: "r3", userID: "u2", widget: "homepage", experimentKey: "e", variantKey: "treatment",
                           items: ["p5"], latencyMilliseconds: 20, createdAt: Self.date("2026-11-20T23:30:00Z")),
            ExposureRecord(requestID: "r4", userID: nil, widget: "cart", experimentKey: nil, variantKey: nil,
                           items: ["p9"], latencyMilliseconds: nil, createdAt: Self.date("2026-11-20T12:00:00Z")),
            ExposureRecord(requestID: "r5", userID: "u3", widget: "homepage", experimentKey: "e", variantKey: "control",
                           items: ["p7"], latencyMilliseconds: 12, createdAt: Self.date("2026-11-21T09:00:00Z")),
        ]
        #expect(try await client.execute(ExposureSQL.insertBatch, [ExposureSQL.batchParameter(exposures)]) == 5)
        // A retried flush inserts nothing.
        #expect(try await client.execute(ExposureSQL.insertBatch, [ExposureSQL.batchParameter(Array(exposures.prefix(2)))]) == 0)
        try await client.execute("""
            INSERT INTO interactions (user_id, product_id, type, value, request_id, occurred_at) VALUES
             ('u1','p2','recommendation_click',0,'r1','2026-11-20T10:01:00Z'),
             ('u1','p2','cart_add',0,'r1','2026-11-20T10:02:00Z'),
             ('u1','p2','purchase',20,NULL,'2026-11-20T10:30:00Z'),
             ('u1','p8','purchase',50,NULL,'2026-11-20T10:40:00Z'),
             ('u2','p1','recommendation_click',0,'r2','2026-11-20T11:05:00Z'),
             ('u2','p4','purchase',15,'r2','2026-11-20T11:10:00Z'),
             ('u2','p1','purchase',7,NULL,'2026-11-22T12:00:00Z'),
             ('u2','p5','purchase',9,NULL,'2026-11-21T08:00:00Z'),
             ('u1','p3','purchase',100,NULL,'2026-11-10T08:00:00Z'),
             ('u3','p7','recommendation_click',0,'r5','2026-11-21T09:01:00Z'),
             ('u1','p1','recommendation_impression',0,'r1','2026-11-20T10:00:01Z'),
             ('u1','p2','recommendation_impression',0,'r1','2026-11-20T10:00:01Z'),
             ('u2','p5','recommendation_impression',0,'r3','2026-11-20T23:30:02Z')
            """)
    }

    @Test func clicksAndPurchasesAreAttributedByRequestIDAndByWindow() async throws {
        try await withMigratedSchema { client in
            try await seed(client)
            let rows = try await client.query(
                "SELECT product_id, type, value, request_id, attributed_by FROM attributed_interactions($1, $2, $3::interval) WHERE type <> 'recommendation_impression' ORDER BY interaction_id",
                ["2026-11-20T00:00:00Z", "2026-11-22T00:00:00Z", Self.attributionWindow])
            let seen = try rows.map { "\(try $0.string("request_id")):\(try $0.string("type")):\(try $0.string("product_id")):\(try $0.string("attributed_by"))" }
            #expect(seen == [
                "r1:recommendation_click:p2:request_id", "r1:cart_add:p2:request_id", "r1:purchase:p2:window",
                "r2:recommendation_click:p1:request_id", "r2:purchase:p4:request_id", "r3:purchase:p5:window",
                "r5:recommendation_click:p7:request_id",
            ])
            // A 1-hour window drops the purchase 8.5 h after its exposure.
            let short = try await client.query(
                "SELECT count(*) AS n FROM attributed_interactions($1, $2, $3::interval) WHERE attributed_by = 'window'",
                ["2026-11-20T00:00:00Z", "2026-11-22T00:00:00Z", "1 hour"])
            #expect(try short[0].int("n") == 1)
        }
    }

    @Test func theDailyRollupIsIdempotent() async throws {
        try await withMigratedSchema { client in
            try await seed(client)
            let snapshot = """
                SELECT date::text || '|' || variant_key || '|' || widget || '|' || users_exposed || '|' || exposures || '|' ||
                       items_shown || '|' || clicks || '|' || add_to_carts || '|' || purchases || '|' || revenue || '|' ||
                       viewed_exposures AS row
                FROM experiment_daily_performance ORDER BY date, variant_key, widget
                """
            for day in ["2026-11-20", "2026-11-21"] {
                try await client.execute(RollupSQL.daily, [day, Self.attributionWindow])
            }
            let first = try await client.query(snapshot).map { try $0.string("row") }
            #expect(first == [
                // Two impressions of r1 are one viewed exposure; r2 was never seen, r3 was.
                "2026-11-20|control|homepage|1|1|3|1|1|1|20|1",
                "2026-11-20|treatment|homepage|1|2|3|1|0|2|24|1",
                "2026-11-21|control|homepage|1|1|1|1|0|0|0|0",
            ])
            for day in ["2026-11-20", "2026-11-21", "2026-11-20"] {
                try await client.execute(RollupSQL.daily, [day, Self.attributionWindow])
            }
            #expect(try await client.query(snapshot).map { try $0.string("row") } == first)
            // A variant whose exposures vanish (e.g. deleted as test traffic) leaves the day on re-run.
            try await client.execute("DELETE FROM exposures WHERE variant_key = 'treatment'")
            try await client.execute(RollupSQL.daily, ["2026-11-20", Self.attributionWindow])
            #expect(try await client.query(snapshot).map { try $0.string("row") } == [first[0], first[2]])
            let view = try await client.query("SELECT ctr, viewed_ctr FROM experiment_performance WHERE date = '2026-11-20'")
            #expect(try view.map { try $0.double("ctr") } == [1.0])
            #expect(try view.map { try $0.double("viewed_ctr") } == [1.0])
            let series = try await client.query(RollupSQL.dailySeries, ["e"])
            #expect(series.count == 2)
        }
    }

    @Test func perUserRowsFeedTheResultsCalculator() async throws {
        try await withMigratedSchema { client in
            try await seed(client)
            let rows = try await client.query(
                ResultsSQL.userRows,
                ["e", "2026-11-20T00:00:00Z", "2026-11-22T00:00:00Z", Self.attributionWindow, ResultsSQL.defaultPrePeriod])
            let outcomes = try rows.map {
                UserOutcome(
                    userID: try $0.string("user_id"), variantKey: try $0.string("variant_key"),
                    exposures: try $0.int("exposures"), itemsShown: try $0.int("items_shown"), clicks: try $0.int("clicks"),
                    addToCarts: try $0.int("add_to_carts"), purchases: try $0.int("purchases"),
                    revenue: try $0.double("revenue"), preRevenue: try $0.double("pre_revenue"))
            }
            #expect(outcomes.map(\.userID) == ["u1", "u3", "u2"])
            #expect(outcomes[0].revenue == 20 && outcomes[0].preRevenue == 100 && outcomes[0].addToCarts == 1)
            #expect(outcomes[2].purchases == 2 && outcomes[2].revenue == 24)
            let latency = try await client.query(ResultsSQL.latencyByVariant, ["e", "2026-11-20T00:00:00Z", "2026-11-22T00:00:00Z"])
            let p95 = Dictionary(uniqueKeysWithValues: try latency.map { (try $0.string("variant_key"), try $0.double("p95_ms")) })
            #expect(abs((p95["control"] ?? 0) - 11.9) < 1e-9)
            let experiment = Experiment(
                key: "e", widgets: [.homepage], status: .running,
                variants: [ExperimentVariant(key: "control", weight: 0.5), ExperimentVariant(key: "treatment", weight: 0.5)])
            let results = ExperimentResultsCalculator().compute(experiment: experiment, rows: outcomes, latencyP95: p95)
            #expect(results.variants.map(\.users) == [2, 1])
            #expect(results.variants[1].revenuePerUser.value == 24)
        }
    }

    @Test func definitionsRoundTripThroughTheExperimentsTable() async throws {
        try await withMigratedSchema { client in
            let file = try ExperimentDefinitionFile.parse(ExperimentDefinitionFileTests.yaml, format: .yaml)
            for experiment in file.experiments {
                let p = try ExperimentSQL.upsertParameters(experiment)
                try await client.execute(ExperimentSQL.upsert, [p.key, p.definition, p.status])
            }
            let stored = try await client.query(ExperimentSQL.selectAll).map { try ExperimentSQL.decodeDefinition(try $0.string("definition")) }
            #expect(Set(stored) == Set(file.experiments))
            let running = try await client.query(ExperimentSQL.selectRunning)
            #expect(running.count == 1)
            if let view = ExperimentSQL.createPerExperimentView(key: "homepage-alpha") {
                try await client.execute(view)
                #expect(try await client.query(#"SELECT * FROM "experiment_performance__homepage_alpha""#).isEmpty)
            }
        }
    }
}
