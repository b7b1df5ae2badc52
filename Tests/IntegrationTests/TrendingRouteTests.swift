import Foundation
import Hummingbird
import HummingbirdTesting
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
}
