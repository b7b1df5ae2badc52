import Domain
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Storage
import Testing

@testable import Engine
@testable import Ranking
@testable import Server
@testable import ShopData
import Support

/// The HTTP API end to end against the real PostgreSQL and Redis: every route, its errors, and
/// the behaviours issue #5 names (upserts recommendable, out-of-stock vanishes, purchases change
/// the homepage, diversity and boosts hold, explain adds up).
/// One malformed request and the answer it must get.
struct BadInput: Sendable {
    var uri: String
    var method: HTTPRequest.Method
    var body: String?
    var status: Int
    var field: String?

    init(_ uri: String, _ method: HTTPRequest.Method, _ body: String?, _ status: Int, _ field: String?) {
        self.uri = uri
        self.method = method
        self.body = body
        self.status = status
        self.field = field
    }
}

@Suite(.enabled(if: ServerTestEnvironment.available, "needs POSTGRES_URL and REDIS_URL (scripts/test.sh starts them)"))
struct ServerRouteTests {
    /// 4 categories × 5 products; `k-0` is promoted, prices 10…
    static let catalogBatch: String = {
        var items: [String] = []
        for (c, category) in ["Kitchen", "Garden", "Lighting", "Toys"].enumerated() {
            for i in 0..<5 {
                items.append(
                    #"{"product_id":"\#(category.lowercased())-\#(i)","name":"\#(category) item \#(i)","category":"\#(category)","price":\#(10 + c * 5 + i),"promoted":\#(i == 0 && c == 0),"created_at":"2020-01-01T00:00:00Z"}"#
                )
            }
        }
        return #"{"products":[\#(items.joined(separator: ","))]}"#
    }()

    static func event(_ user: String, _ product: String, _ type: String, basket: String? = nil) -> String {
        let basketField = basket.map { #","basket_id":"\#($0)""# } ?? ""
        return #"{"user_id":"\#(user)","product_id":"\#(product)","event":"\#(type)","value":5\#(basketField)}"#
    }

    @Test func healthReportsEachDependency() async throws {
        try await ServerTestEnvironment.withServer { client in
            let (status, json) = try await client.json("/health")
            #expect(status == 200)
            #expect((json["postgres"] as? [String: Any])?["status"] as? String == "up")
            #expect((json["redis"] as? [String: Any])?["status"] as? String == "up")
        }
    }

    @Test func openAPIDescribesEveryRouteAndMetricsAreServed() async throws {
        try await ServerTestEnvironment.withServer { client in
            let (status, json) = try await client.json("/openapi.json")
            #expect(status == 200)
            let paths = (json["paths"] as? [String: Any]) ?? [:]
            #expect(paths.count >= 19)
            // Every described operation reaches a handler: its answer may be an error of the
            // handler's (a missing field, an unknown id) but never "no route".
            for operation in OpenAPIDocument.operations.sorted() {
                let parts = operation.split(separator: " ", maxSplits: 1).map(String.init)
                let uri = parts[1].replacingOccurrences(of: "{id}", with: "nope")
                    .replacingOccurrences(of: "{key}", with: "none").replacingOccurrences(of: "{widget}", with: "cart")
                let method = HTTPRequest.Method(parts[0])!
                let body: String? = [.post, .put, .patch].contains(method) ? "{}" : nil
                let response = try await client.executeRequest(
                    uri: uri, method: method, headers: body == nil ? [:] : [.contentType: "application/json"],
                    body: body.map { ByteBuffer(string: $0) })
                let json = (try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))) as? [String: Any]
                let code = (json?["error"] as? [String: Any])?["code"] as? String
                #expect(code != "no_route", "\(operation) is described but not routed")
                #expect(response.status.code < 500, "\(operation): \(response.status)")
            }
            // An unknown path is a 404 `no_route`; a described path with another method a 405
            // with `Allow`; both in the JSON error body.
            let (unknownStatus, unknownJSON) = try await client.json("/v1/nothing")
            #expect(unknownStatus == 404)
            #expect((unknownJSON["error"] as? [String: Any])?["code"] as? String == "no_route")
            for (method, uri, allow) in [
                (HTTPRequest.Method.delete, "/v1/search", "GET"), (.trace, "/v1/widgets", "GET"),
                (.post, "/v1/products/p-1", "DELETE, GET, PATCH, PUT"),
            ] {
                let response = try await client.executeRequest(uri: uri, method: method, headers: [:], body: nil)
                #expect(response.status == .methodNotAllowed, "\(method) \(uri)")
                #expect(response.headers[.allow] == allow, "\(method) \(uri)")
                let body = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any]
                #expect((body?["error"] as? [String: Any])?["code"] as? String == "method_not_allowed")
            }
            _ = try await client.json("/v1/recommendations/homepage?limit=5")
            let metrics = try await client.executeRequest(uri: "/metrics", method: .get, headers: [:], body: nil)
            let text = String(buffer: metrics.body)
            #expect(text.contains("http_server_request_duration_seconds_bucket"))
            #expect(text.contains(#"http_route="/v1/recommendations/homepage""#))
            #expect(text.contains(#"hybridrank_stage_duration_seconds_count{stage="candidates"}"#))
        }
    }

    @Test func productLifecycleThroughTheAPI() async throws {
        try await ServerTestEnvironment.withServer { client in
            var (status, json) = try await client.json(
                "/v1/products/p-1", method: .put, body: #"{"name":"Blue mug","category":"Kitchen","price":4.5,"stock_quantity":3}"#)
            #expect(status == 200)
            #expect(json["in_stock"] as? Bool == true)
            (status, json) = try await client.json("/v1/products/p-1")
            #expect(status == 200)
            #expect(json["name"] as? String == "Blue mug")
            (status, json) = try await client.json("/v1/products/p-1", method: .patch, body: #"{"price":5.25}"#)
            #expect(status == 200)
            #expect(json["price"] as? Double == 5.25)
            #expect(json["name"] as? String == "Blue mug")
            (status, _) = try await client.json("/v1/products/p-1", method: .delete)
            #expect(status == 204)
            (status, json) = try await client.json("/v1/products/p-1")
            #expect(status == 404)
            #expect(errorField(json) == "id")
            (status, _) = try await client.json("/v1/products/p-1", method: .delete)
            #expect(status == 404)
            (status, json) = try await client.json("/v1/products:batch", method: .post, body: Self.catalogBatch)
            #expect(status == 200)
            #expect(json["stored"] as? Int == 20)
        }
    }

    /// A shop that re-sends its catalog (PUT or batch) without `created_at` does not make every
    /// product a new arrival again; a sent `created_at` still replaces the stored one.
    @Test func reSendingAProductKeepsItsArrivalTime() async throws {
        try await ServerTestEnvironment.withServer { client in
            var (status, json) = try await client.json(
                "/v1/products/p-1", method: .put, body: #"{"name":"Blue mug","price":4.5,"created_at":"2020-01-01T00:00:00Z"}"#)
            #expect(status == 200)
            (status, json) = try await client.json("/v1/products/p-1", method: .put, body: #"{"name":"Blue mug","price":4.75}"#)
            #expect(status == 200)
            #expect(json["created_at"] as? String == "2020-01-01T00:00:00Z")
            (status, json) = try await client.json(
                "/v1/products:batch", method: .post, body: #"{"products":[{"product_id":"p-1","name":"Blue mug","price":5}]}"#)
            #expect(status == 200)
            (status, json) = try await client.json("/v1/products/p-1")
            #expect(json["created_at"] as? String == "2020-01-01T00:00:00Z")
            #expect(json["price"] as? Double == 5)
            (status, json) = try await client.json(
                "/v1/products/p-1", method: .put, body: #"{"name":"Blue mug","price":5,"created_at":"2021-06-01T00:00:00Z"}"#)
            #expect(json["created_at"] as? String == "2021-06-01T00:00:00Z")
            (status, json) = try await client.json("/v1/products/p-2", method: .put, body: #"{"name":"New lamp","price":9}"#)
            let arrived = try #require((json["created_at"] as? String).flatMap(ISO8601Text.date(from:)))
            #expect(abs(arrived.timeIntervalSinceNow) < 60, "a new product arrives now")
        }
    }

    @Test func badInputAnswers4xxNamingTheField() async throws {
        try await ServerTestEnvironment.withServer { client in
            let cases: [BadInput] = [
                BadInput("/v1/recommendations/homepage?limit=0", .get, nil, 400, "limit"),
                BadInput("/v1/recommendations/homepage?limit=abc", .get, nil, 400, "limit"),
                BadInput("/v1/recommendations/homepage?limit=101", .get, nil, 400, "limit"),
                BadInput("/v1/recommendations/homepage?explain=maybe", .get, nil, 400, "explain"),
                BadInput("/v1/recommendations/product/nope", .get, nil, 404, "id"),
                BadInput("/v1/recommendations/frequently-bought-together/nope", .get, nil, 404, "id"),
                BadInput("/v1/recommendations/cart", .get, nil, 400, "user_id"),
                BadInput("/v1/recommendations/cart", .post, #"{"user_id":"u"}"#, 400, "items"),
                BadInput("/v1/recommendations/cart", .post, #"{"items":"x"}"#, 400, "items"),
                BadInput("/v1/search", .get, nil, 400, "q"),
                BadInput("/v1/search?q=mug&price_min=5&price_max=1", .get, nil, 400, "price_min"),
                BadInput("/v1/search?q=mug&price_max=cheap", .get, nil, 400, "price_max"),
                BadInput("/v1/products/x", .put, #"{"price":1}"#, 400, "name"),
                BadInput("/v1/products/x", .put, #"{"name":"a","price":-1}"#, 400, "price"),
                BadInput("/v1/products/x", .put, #"{"name":"a","price":"one"}"#, 400, "price"),
                BadInput("/v1/products/x", .put, #"{"name":"a""#, 400, nil),
                BadInput("/v1/products/x", .patch, #"{"price":2}"#, 404, "id"),
                BadInput("/v1/products:batch", .post, #"{"products":[{"product_id":"a","name":"A"},{"name":"B"}]}"#, 400, "products[1].product_id"),
                BadInput("/v1/events", .post, #"{"user_id":"u","product_id":"p","event":"teleport"}"#, 400, "event"),
                BadInput("/v1/events", .post, #"{"product_id":"p","event":"view"}"#, 400, "user_id"),
                BadInput("/v1/events", .post, #"[{"user_id":"u","product_id":"p","event":"view"},{"user_id":"u","product_id":"p","event":"purchase","quantity":0}]"#, 400, "events[1].quantity"),
                BadInput("/v1/events", .post, #"{"user_id":"u","product_id":"p","event":"recommendation_click"}"#, 400, "request_id"),
                BadInput("/v1/events", .post, #"{"user_id":"u","product_id":"p","event":"view","timestamp":"yesterday"}"#, 400, "timestamp"),
                BadInput("/v1/experiments", .post, #"{"key":"bad","widgets":["homepage"],"variants":[{"key":"a","weight":0.7},{"key":"b","weight":0.7}]}"#, 400, nil),
                BadInput("/v1/experiments", .post, #"{"key":"x","widgets":"homepage","variants":[]}"#, 400, "widgets"),
                BadInput("/v1/experiments/none", .get, nil, 404, "key"),
                BadInput("/v1/experiments/none", .put, ExperimentEndToEndTests.experiment, 404, "key"),
                BadInput("/v1/experiments/none/results", .get, nil, 404, "key"),
                BadInput("/v1/widgets/sidebar/settings", .get, nil, 404, "widget"),
                BadInput("/v1/widgets/sidebar/settings", .put, "{}", 404, "widget"),
                BadInput("/v1/widgets/homepage/settings", .put, #"{"parameters":{"alpha":-1}}"#, 400, "parameters.alpha"),
                BadInput("/v1/widgets/homepage/settings", .put, #"{"parameters":{"alfa":0}}"#, 400, "parameters.alfa"),
                BadInput("/v1/widgets/homepage/settings", .put, #"{"block_lists":["p1"]}"#, 400, "block_lists"),
                BadInput("/v1/experiments", .post, #"{"key":"typo","widgets":["homepage"],"variants":[{"key":"a","weight":0.5},{"key":"b","weight":0.5,"parameters":{"alfa":0.3}}]}"#, 400, "variants[1].parameters.alfa"),
                BadInput("/v1/widgets/homepage/settings", .put, #"{"parameters":{"enabled_rules":["magic"]}}"#, 400, "parameters.enabled_rules[0]"),
                BadInput("/v1/widgets/product/settings", .put, #"{"parameters":{"rerank_budget_ms":0}}"#, 400, "parameters.rerank_budget_ms"),
                BadInput("/v1/widgets/homepage/settings", .put, #"{"block_list":"x"}"#, 400, "block_list"),
                BadInput("/v1/widgets/homepage/settings", .put, #"{"block_list":["a b"]}"#, 400, "block_list[0]"),
                BadInput("/v1/widgets/homepage/settings", .put, #"{"pinned":[{"position":0,"product_id":"p"}]}"#, 400, "pinned[0].position"),
                BadInput("/v1/widgets/homepage/settings", .put, #"{"pinned":[{"position":1}]}"#, 400, "pinned[0].product_id"),
                BadInput("/v1/widgets/homepage/settings", .put, #"{"pinned":[{"position":1,"product_id":"p"}]"#, 400, nil),

            ]
            for badInput in cases {
                let (uri, method, body, expectedStatus, field) = (
                    badInput.uri, badInput.method, badInput.body, badInput.status, badInput.field
                )
                let (status, json) = try await client.json(uri, method: method, body: body)
                #expect(status == expectedStatus, "\(method) \(uri)")
                let error = json["error"] as? [String: Any]
                #expect(error?["code"] is String, "\(method) \(uri) has an error code")
                if let field { #expect(errorField(json) == field, "\(method) \(uri)") }
            }
            let big = String(repeating: "x", count: 5 * 1024 * 1024)
            let (status, _) = try await client.json("/v1/events", method: .post, body: big)
            #expect(status == 413)
        }
    }

    @Test func eventsAreDurableAndAPurchaseChangesTheHomepage() async throws {
        try await ServerTestEnvironment.withServer(
            seed: { postgres in
                _ = postgres
            }
        ) { client in
            _ = try await client.json("/v1/products:batch", method: .post, body: Self.catalogBatch)
            // Other shoppers buy kitchen-0 together with garden-3.
            var events: [String] = []
            for shopper in 0..<6 {
                events.append(Self.event("other-\(shopper)", "kitchen-0", "purchase", basket: "b\(shopper)"))
                events.append(Self.event("other-\(shopper)", "garden-3", "purchase", basket: "b\(shopper)"))
            }
            var (status, json) = try await client.json("/v1/events", method: .post, body: "[\(events.joined(separator: ","))]")
            #expect(status == 202)
            #expect(json["accepted"] as? Int == 12)

            (status, json) = try await client.json("/v1/recommendations/homepage?user_id=alice&limit=10")
            #expect(status == 200)
            let before = productIDs(json)
            #expect(before.contains("kitchen-0"), "popular product shown to a cold-start user")

            (status, _) = try await client.json(
                "/v1/events", method: .post, body: Self.event("alice", "kitchen-0", "purchase", basket: "alice-1"))
            #expect(status == 202)
            (status, json) = try await client.json("/v1/recommendations/homepage?user_id=alice&limit=10&explain=true")
            #expect(status == 200, "\(json)")
            let after = productIDs(json)
            #expect(!after.contains("kitchen-0"), "already purchased is excluded from the homepage")
            #expect(after.first == "garden-3", "the co-purchased product leads after the purchase: \(after)")
            #expect(before != after)
        }
    }

    @Test func outOfStockAndDeletedProductsVanishFromEveryWidget() async throws {
        try await ServerTestEnvironment.withServer { client in
            _ = try await client.json("/v1/products:batch", method: .post, body: Self.catalogBatch)
            var events: [String] = []
            for shopper in 0..<5 {
                events.append(Self.event("s\(shopper)", "toys-1", "purchase", basket: "t\(shopper)"))
                events.append(Self.event("s\(shopper)", "toys-2", "purchase", basket: "t\(shopper)"))
            }
            _ = try await client.json("/v1/events", method: .post, body: "[\(events.joined(separator: ","))]")
            let widgets = [
                "/v1/recommendations/homepage?limit=20", "/v1/recommendations/product/toys-2?limit=20",
                "/v1/recommendations/frequently-bought-together/toys-2?limit=20",
            ]
            var (_, json) = try await client.json(widgets[1])
            #expect(productIDs(json).contains("toys-1"))
            _ = try await client.json("/v1/products/toys-1", method: .patch, body: #"{"in_stock":false}"#)
            _ = try await client.json("/v1/products/toys-3", method: .delete)
            for widget in widgets {
                (_, json) = try await client.json(widget)
                #expect(!productIDs(json).contains("toys-1"), "\(widget) shows an out-of-stock product")
                #expect(!productIDs(json).contains("toys-3"), "\(widget) shows a deleted product")
            }
        }
    }

    @Test func diversityBoostsAndExplainAddUp() async throws {
        try await ServerTestEnvironment.withServer { client in
            _ = try await client.json("/v1/products:batch", method: .post, body: Self.catalogBatch)
            // Make the whole Kitchen category the most popular.
            var events: [String] = []
            for shopper in 0..<8 {
                for item in 0..<5 { events.append(Self.event("k\(shopper)", "kitchen-\(item)", "purchase")) }
            }
            events.append(Self.event("g", "garden-1", "purchase"))
            _ = try await client.json("/v1/events", method: .post, body: "[\(events.joined(separator: ","))]")
            let (status, json) = try await client.json("/v1/recommendations/homepage?limit=10&explain=true")
            #expect(status == 200)
            let items = (json["items"] as? [[String: Any]]) ?? []
            #expect(items.count == 10, "fill completes the list")
            let kitchen = items.prefix(10).filter { $0["category"] as? String == "Kitchen" }
            #expect(kitchen.count <= 3, "at most 3 of a category in the first 10")
            let weights = PipelineOptions().defaults(for: .homepage).weights
            for item in items {
                let explain = try #require(item["explain"] as? [String: Any])
                let final = try #require(explain["final"] as? Double)
                #expect(abs(final - (item["score"] as? Double ?? .nan)) < 1e-6, "score is the explained final")
                var parts = ScoredItem(productID: "")
                parts.content = Float(explain["content"] as? Double ?? 0)
                parts.coPurchase = Float(explain["co_purchase"] as? Double ?? 0)
                parts.similarUsers = Float(explain["similar_users"] as? Double ?? 0)
                parts.popularity = Float(explain["popularity"] as? Double ?? 0)
                let blended = try #require(explain["blended"] as? Double)
                let expected = weights.content * parts.content + weights.collaborative * parts.collaborative
                    + weights.popularity * parts.popularity
                #expect(abs(Float(blended) - expected) < 1e-4, "blended = α·content + β·collaborative + γ·popularity")
                let rules = (explain["rules"] as? [String]) ?? []
                if rules.isEmpty { #expect(abs(final - blended) < 1e-5, "no rule, no rerank: final = blended") }
            }
            let promoted = items.first { $0["product_id"] as? String == "kitchen-0" }
            let rules = ((promoted?["explain"] as? [String: Any])?["rules"] as? [String]) ?? []
            #expect(rules.contains { $0.contains("promotion") }, "the promoted product records its boost: \(rules)")
            #expect(json["request_id"] is String)
            #expect(json["generated_at"] is String)
            #expect((json["timings_ms"] as? [String: Any])?["total"] is Double)
        }
    }

    @Test func widgetSettingsShapeTheWidgetAndLiveInPostgreSQL() async throws {
        // A row written straight into PostgreSQL before start: a replica loads it with the rest.
        let seeded = #"{"block_list":["garden-2"],"parameters":{"rerank_window":0}}"#
        try await ServerTestEnvironment.withServer(
            seed: { postgres in
                _ = try await postgres.execute(
                    "INSERT INTO widget_settings (widget, settings) VALUES ('product', $1::jsonb)", [seeded])
            }
        ) { client in
            _ = try await client.json("/v1/products:batch", method: .post, body: Self.catalogBatch)
            var events: [String] = []
            for shopper in 0..<8 {
                for item in 0..<5 { events.append(Self.event("k\(shopper)", "kitchen-\(item)", "purchase")) }
            }
            events.append(Self.event("g", "garden-2", "purchase", basket: "g1"))
            events.append(Self.event("g", "garden-1", "purchase", basket: "g1"))
            _ = try await client.json("/v1/events", method: .post, body: "[\(events.joined(separator: ","))]")

            let (productStatus, product) = try await client.json("/v1/widgets/product/settings")
            #expect(productStatus == 200)
            #expect((product["settings"] as? [String: Any])?["block_list"] as? [String] == ["garden-2"])
            let page = try await client.json("/v1/recommendations/product/garden-1?limit=19")
            #expect(page.status == 200)
            #expect(!productIDs(page.json).isEmpty)
            #expect(!productIDs(page.json).contains("garden-2"), "the seeded block list holds on the product page")

            // The homepage before: Kitchen, the most popular category, leads; the promoted kitchen-0 is boosted.
            let settings = #"""
                {"parameters":{"diversity_max_per_category":1,"diversity_window":4,"disabled_rules":["promotion_boost"]},
                 "block_list":["kitchen-1"],"pinned":[{"position":2,"product_id":"toys-4"}]}
                """#
            let (putStatus, stored) = try await client.json("/v1/widgets/homepage/settings", method: .put, body: settings)
            #expect(putStatus == 200)
            let effective = stored["effective"] as? [String: Any]
            let rules = effective?["rules"] as? [String: Any]
            #expect(rules?["diversity_max_per_category"] as? Int == 1)
            #expect(rules?["promotion_boost"] as? Double == 0)
            #expect(rules?["exclude_purchased"] as? Bool == true, "the built-in homepage default stays under the settings")

            let (status, json) = try await client.json("/v1/recommendations/homepage?limit=10&explain=true")
            #expect(status == 200)
            let items = (json["items"] as? [[String: Any]]) ?? []
            #expect(items.count == 10)
            let ids = items.compactMap { $0["product_id"] as? String }
            #expect(!ids.contains("kitchen-1"), "the widget's block list")
            #expect(ids.dropFirst().first == "toys-4", "the widget's pin at position 2: \(ids)")
            // Pins go in last (after diversity), so the cap holds for the ranked items around the pin.
            let ranked = items.filter { $0["product_id"] as? String != "toys-4" }
            let firstFour = ranked.prefix(4).compactMap { $0["category"] as? String }
            #expect(Set(firstFour).count == 4, "one item per category in the first 4: \(firstFour) \(ids)")
            for item in items {
                let fired = ((item["explain"] as? [String: Any])?["rules"] as? [String]) ?? []
                #expect(!fired.contains { $0.contains("promotion") }, "the promotion boost is switched off")
            }
            // A request's own pin takes the position from the widget's; its exclusions add up.
            let overridden = try await client.json("/v1/recommendations/homepage?limit=10&pin=2:garden-3&exclude=kitchen-2")
            let overriddenIDs = productIDs(overridden.json)
            #expect(overriddenIDs.dropFirst().first == "garden-3")
            #expect(!overriddenIDs.contains("kitchen-1") && !overriddenIDs.contains("kitchen-2"))

            let (listStatus, list) = try await client.json("/v1/widgets")
            #expect(listStatus == 200)
            let widgets = (list["widgets"] as? [[String: Any]]) ?? []
            #expect(widgets.compactMap { $0["widget"] as? String } == Widget.allCases.map(\.rawValue))

            // Reset: the stored row goes, and the homepage is back to the built-in defaults.
            let reset = try await client.executeRequest(uri: "/v1/widgets/homepage/settings", method: .delete, headers: [:], body: nil)
            #expect(reset.status == .noContent)
            let (_, after) = try await client.json("/v1/widgets/homepage/settings")
            #expect((after["settings"] as? [String: Any])?["block_list"] as? [String] == [])
            let afterRules = (after["effective"] as? [String: Any])?["rules"] as? [String: Any]
            #expect(afterRules?["diversity_max_per_category"] as? Int == 3)
            let (_, home) = try await client.json("/v1/recommendations/homepage?limit=10")
            let homeItems = (home["items"] as? [[String: Any]]) ?? []
            let kitchenFirst = homeItems.prefix(4).filter { $0["category"] as? String == "Kitchen" }.count
            #expect(kitchenFirst >= 2, "without the settings the popular Kitchen leads again")
            #expect(productIDs(home).dropFirst().first != "toys-4")
        }
    }

    /// The latency budget, set for one widget: once the reranker has measured its cost per pair,
    /// a budget too small for any pair shrinks the window, and explain says so.
    @Test func aWidgetsRerankBudgetShrinksTheWindowAndExplainSaysSo() async throws {
        try await ServerTestEnvironment.withServer(loadModels: true) { client in
            _ = try await client.json("/v1/products:batch", method: .post, body: Self.catalogBatch)
            let events = [
                Self.event("b1", "kitchen-0", "purchase"), Self.event("b2", "garden-0", "purchase"),
                Self.event("b3", "toys-0", "purchase"),
            ]
            _ = try await client.json("/v1/events", method: .post, body: "[\(events.joined(separator: ","))]")
            func notes(_ user: String) async throws -> [String] {
                let (status, json) = try await client.json("/v1/recommendations/homepage?user_id=\(user)&limit=5&explain=true")
                #expect(status == 200)
                return (json["notes"] as? [String]) ?? []
            }
            // Without a budget: the whole window, whatever it costs (and the cost gets measured).
            #expect(try await notes("b1").contains { $0.contains("rerank") }, "the homepage reranks")
            #expect(try await !notes("b1").contains { $0.contains("shrunk") })
            let (status, _) = try await client.json(
                "/v1/widgets/homepage/settings", method: .put, body: #"{"parameters":{"rerank_budget_ms":0.001}}"#)
            #expect(status == 200)
            // A new shopper context (nothing cached): no pair fits 1 µs.
            let shrunk = try await notes("b2")
            #expect(shrunk.contains { $0.contains("shrunk") }, "\(shrunk)")
            // Another widget keeps its full window.
            let (_, product) = try await client.json("/v1/recommendations/product/kitchen-1?user_id=b3&limit=5&explain=true")
            #expect(!((product["notes"] as? [String]) ?? []).contains { $0.contains("shrunk") })
        }
    }

    /// A binary started before `hybridrank migrate` created `widget_settings`: the widgets serve on
    /// the built-in defaults and only the settings routes fail.
    @Test func aDatabaseWithoutTheWidgetSettingsTableStillServes() async throws {
        try await ServerTestEnvironment.withServer(
            seed: { postgres in _ = try await postgres.execute("DROP TABLE widget_settings") }
        ) { client in
            _ = try await client.json("/v1/products:batch", method: .post, body: Self.catalogBatch)
            let (status, json) = try await client.json("/v1/recommendations/homepage?limit=5")
            #expect(status == 200)
            #expect(productIDs(json).count == 5)
            let (settingsStatus, settings) = try await client.json("/v1/widgets/homepage/settings")
            #expect(settingsStatus == 500)
            #expect((settings["error"] as? [String: Any])?["code"] as? String == "internal_error", "a JSON error body")
        }
    }

    @Test func cartWidgetsUseTheRedisCartOrAnExplicitList() async throws {
        try await ServerTestEnvironment.withServer { client in
            _ = try await client.json("/v1/products:batch", method: .post, body: Self.catalogBatch)
            var events: [String] = []
            for shopper in 0..<5 {
                events.append(Self.event("c\(shopper)", "lighting-1", "purchase", basket: "l\(shopper)"))
                events.append(Self.event("c\(shopper)", "toys-3", "purchase", basket: "l\(shopper)"))
            }
            events.append(Self.event("dana", "lighting-1", "cart_add"))
            events.append(Self.event("dana", "kitchen-2", "cart_add"))
            events.append(Self.event("dana", "kitchen-2", "cart_remove"))
            _ = try await client.json("/v1/events", method: .post, body: "[\(events.joined(separator: ","))]")
            var (status, json) = try await client.json("/v1/recommendations/cart?user_id=dana&limit=5")
            #expect(status == 200)
            var ids = productIDs(json)
            #expect(!ids.contains("lighting-1"), "cart items are not recommended")
            #expect(ids.first == "toys-3", "frequently bought with the cart item: \(ids)")
            (status, json) = try await client.json(
                "/v1/recommendations/cart", method: .post, body: #"{"items":["toys-3"],"limit":4}"#)
            #expect(status == 200)
            ids = productIDs(json)
            #expect(ids.count == 4)
            #expect(ids.first == "lighting-1")
            (status, json) = try await client.json("/v1/recommendations/frequently-bought-together/toys-3?limit=3")
            #expect(productIDs(json).first == "lighting-1")
        }
    }
}
