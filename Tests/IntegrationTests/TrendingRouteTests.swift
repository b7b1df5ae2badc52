import Foundation
import Hummingbird
import HummingbirdTesting
import Server
@testable import Engine
@testable import Ranking
@testable import ShopData
import Storage
import Support
import Testing

/// `GET /v1/recommendations/trending` and the homepage's `category=` (category landing pages),
/// through the live server on the real PostgreSQL and Redis.
@Suite(.serialized)
struct TrendingRouteTests {
    static let catalog = #"""
        {"products": [
          {"product_id": "lamp-1", "name": "Opal floor lamp", "category": "Lighting", "price": 80},
          {"product_id": "lamp-2", "name": "Brass desk lamp", "category": "Lighting", "price": 40},
          {"product_id": "lamp-3", "name": "Paper lantern", "category": "Lighting", "price": 12, "in_stock": false},
          {"product_id": "mug-1", "name": "Stoneware mug", "category": "Kitchen", "price": 9},
          {"product_id": "mug-2", "name": "Enamel mug", "category": "Kitchen", "price": 7}]}
        """#

    static func purchases() -> String {
        var events: [String] = []
        for (index, product) in ["lamp-1", "lamp-1", "lamp-3", "lamp-3", "lamp-3", "mug-1", "mug-1", "mug-1", "lamp-2"].enumerated() {
            events.append(#"{"user_id":"buyer-\#(index)","product_id":"\#(product)","event":"purchase","quantity":1,"value":10}"#)
        }
        return "[" + events.joined(separator: ",") + "]"
    }

    func ids(_ json: [String: Any]) -> [String] {
        (json["items"] as? [[String: Any]] ?? []).compactMap { $0["product_id"] as? String }
    }

    @Test func trendingServesPopularAvailableProductsPerCategoryWhateverTheCase() async throws {
        try await ServerTestEnvironment.withServer { client in
            var (status, json) = try await client.json("/v1/products:batch", method: .post, body: Self.catalog)
            #expect(status == 200)
            (status, _) = try await client.json("/v1/events", method: .post, body: Self.purchases())
            #expect(status == 202)

            (status, json) = try await client.json("/v1/recommendations/trending?limit=5")
            #expect(status == 200)
            #expect(json["widget"] as? String == "trending")
            let all = ids(json)
            #expect(all.first == "mug-1", "\(all)")
            #expect(all.contains("lamp-1"))
            #expect(!all.contains("lamp-3"), "sold out, however popular")

            (status, json) = try await client.json("/v1/recommendations/trending?category=lighting")
            #expect(status == 200)
            #expect(ids(json) == ["lamp-1", "lamp-2"])

            (status, json) = try await client.json("/v1/recommendations/trending?limit=0")
            #expect(status == 400)
            #expect((json["error"] as? [String: Any])?["field"] as? String == "limit")
        }
    }

    @Test func aCategoryLandingPageShowsOnlyThatCategory() async throws {
        try await ServerTestEnvironment.withServer { client in
            var (status, json) = try await client.json("/v1/products:batch", method: .post, body: Self.catalog)
            #expect(status == 200)
            (status, _) = try await client.json("/v1/events", method: .post, body: Self.purchases())
            #expect(status == 202)
            (status, json) = try await client.json("/v1/recommendations/homepage?category=KITCHEN&limit=10")
            #expect(status == 200)
            let items = json["items"] as? [[String: Any]] ?? []
            #expect(!items.isEmpty)
            #expect(items.allSatisfy { $0["category"] as? String == "Kitchen" }, "\(items)")
            (status, json) = try await client.json("/v1/recommendations/homepage?limit=10")
            #expect(Set((json["items"] as? [[String: Any]] ?? []).compactMap { $0["category"] as? String }).count > 1)
        }
    }

    @Test func popularityComesBackAfterRedisLosesIt() async throws {
        nonisolated(unsafe) var redisURL = ""
        try await ServerTestEnvironment.withServer(configure: {
            $0.experimentRefreshInterval = 0.2
            redisURL = $0.redisURL
        }) { client in
            var (status, json) = try await client.json("/v1/products:batch", method: .post, body: Self.catalog)
            #expect(status == 200)
            (status, _) = try await client.json("/v1/events", method: .post, body: Self.purchases())
            #expect(status == 202)
            (status, json) = try await client.json("/v1/recommendations/trending?limit=3")
            let before = ids(json)
            #expect(before.first == "mug-1")

            // Redis restarted without persistence: every key gone, then one new purchase arrives.
            let redis = try RedisClient(url: redisURL)
            _ = try await redis.command(["FLUSHDB"])
            (status, _) = try await client.json(
                "/v1/events", method: .post, body: #"{"user_id":"late","product_id":"lamp-2","event":"purchase","quantity":1,"value":1}"#)
            #expect(status == 202)
            var after: [String] = []
            // Past the replica's one-second cache of the lists, so the answer is Redis's.
            try await Task.sleep(for: .milliseconds(1_200))
            for _ in 0..<50 {
                try await Task.sleep(for: .milliseconds(200))
                (status, json) = try await client.json("/v1/recommendations/trending?limit=3")
                after = ids(json)
                if after.first == "mug-1" { break }
            }
            #expect(after.first == "mug-1", "rebuilt from the replica's index, not from the one purchase since: \(after)")
            #expect(try await redis.command(["EXISTS", "hr:pop:generation"]).int == 1)
            #expect(try await redis.command(["ZSCORE", "hr:pop:global", "mug-1"]).double != nil, "reseeded, not only the new purchase")
            await redis.close()
        }
    }

    @Test func theAnonymousHomepageIsNeverEmptyWhileLiveProductsExist() async throws {
        try await ServerTestEnvironment.withServer { client in
            var (status, json) = try await client.json("/v1/products:batch", method: .post, body: Self.catalog)
            #expect(status == 200)
            (status, _) = try await client.json("/v1/events", method: .post, body: Self.purchases())
            #expect(status == 202)
            // Every product anyone bought is deleted; two never-bought ones remain.
            for id in ["lamp-1", "lamp-3", "mug-1", "lamp-2"] {
                (status, _) = try await client.json("/v1/products/\(id)", method: .delete)
                #expect(status == 204)
            }
            (status, json) = try await client.json("/v1/recommendations/homepage?limit=10")
            #expect(status == 200)
            #expect(ids(json) == ["mug-2"], "the only live product")
        }
    }
}
