import Domain
import Foundation
import NIOCore
import Testing

@testable import Engine
@testable import Ranking
@testable import Server
import Support

@Suite("Widget response JSON")
struct ResponseJSONTests {
    static func response(explain: Bool) -> RecommendationResponse {
        let explanation = RecommendationResponse.ItemExplanation(
            content: 0.25, coPurchase: 1, similarUsers: 0, popularity: 0.125,
            raw: ["co_purchase": 0.21482193, "content": 0.8], blended: 0.5, crossEncoderLogit: -1.4218742,
            final: 0.5388736, rules: ["boost:promotion*1.20", "demoted:diversity"])
        let items = [
            RecommendationResponse.Item(
                productID: "P000001", name: "Mug \"Large\" \\ 10\u{0A}cm\ttab \u{01} ünïcode 🎁", category: "Home & Kitchen",
                price: 14.99, currency: "GBP", score: 0.5388736, position: 1, explain: explain ? explanation : nil),
            RecommendationResponse.Item(
                productID: "P000002", name: "Plain", category: "", price: 3, currency: "GBP", score: -0.1, position: 2,
                explain: explain ? { var e = explanation; e.crossEncoderLogit = nil; e.raw = [:]; return e }() : nil),
        ]
        return RecommendationResponse(
            requestID: "abc123", widget: "product", experiment: .init(key: "exp-1", variant: "treatment"),
            modelVersions: ["cross_encoder": "retail-reranker@d67a0c626301", "bi_encoder": "all-MiniLM@1"], items: items,
            generatedAt: Date(timeIntervalSince1970: 1_795_473_272.75),
            timingsMs: .init(candidates: 2.393252, scoring: 0.35, rerank: 1.2, rules: 0.6, total: 5.33881),
            degraded: explain ? ["redis_unavailable"] : nil, notes: explain ? ["rerank: window 20 of 20"] : nil)
    }

    @Test("The direct writer gives the same document as JSONEncoder, with and without explain", arguments: [false, true])
    func sameDocument(explain: Bool) throws {
        let response = Self.response(explain: explain)
        let direct = Data(response.jsonBuffer().readableBytesView)
        let encoded = try HTTPBody.encoder.encode(response)
        let a = try JSONSerialization.jsonObject(with: direct) as? NSDictionary
        let b = try JSONSerialization.jsonObject(with: encoded) as? NSDictionary
        #expect(a != nil)
        #expect(a == b)
        // And it decodes back into the same value.
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let decoded = try decoder.decode(RecommendationResponse.self, from: direct)
        #expect(decoded.items.map(\.name) == response.items.map(\.name))
        #expect(decoded.generatedAt == Date(timeIntervalSince1970: 1_795_473_272))
    }
}

@Suite("Product response JSON")
struct ProductOutputJSONTests {
    static let product = Product(
        id: "P1", name: "Blue mug", description: "Stoneware", category: "Kitchen", price: 4.5, currency: "GBP",
        stockQuantity: nil, inStock: true, promoted: false, createdAt: Date(timeIntervalSince1970: 1_700_000_000),
        updatedAt: Date(timeIntervalSince1970: 1_700_000_100), deletedAt: Date(timeIntervalSince1970: 1_700_000_200))

    @Test("Every field of the product under its API name, no stored-only fields, no null stock")
    func fields() throws {
        let data = try HTTPBody.encoder.encode(ProductOutput(Self.product))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(
            Set(object.keys) == [
                "product_id", "name", "description", "category", "price", "currency", "in_stock", "promoted", "created_at",
                "updated_at",
            ])
        #expect(object["product_id"] as? String == "P1")
        #expect(object["price"] as? Double == 4.5)
        #expect(object["created_at"] as? String == "2023-11-14T22:13:20Z")
        var counted = Self.product
        counted.stockQuantity = 3
        let withStock = try JSONSerialization.jsonObject(with: HTTPBody.encoder.encode(ProductOutput(counted))) as? [String: Any]
        #expect(withStock?["stock_quantity"] as? Int == 3)
    }
}
