import Domain
import Foundation
import Rerank
import Testing

/// The rerank query text is defined once, in the model card (`models/retail-reranker/README.md`,
/// "Input contract"), with worked examples in `query_contract_cases.json`; the trainer reads the
/// texts `recommend-batch --write-candidates` wrote with this same builder.
@Suite("Rerank query text follows the model card")
struct RerankQueryContractTests {
    struct ContractFile: Decodable {
        struct ProductEntry: Decodable {
            var id: String
            var name: String
            var category: String?
        }
        struct Event: Decodable {
            var product: String
            var type: String
            var minutes_ago: Double
        }
        struct Case: Decodable {
            var name: String
            var widget: String
            var anchor: String?
            var cart: [String]?
            var query_text: String?
            var history: [Event]
            var query: String
            var source: String
        }
        var products: [ProductEntry]
        var cases: [Case]
    }

    static let fileURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("models/retail-reranker/query_contract_cases.json")

    @Test func everyWorkedExampleOfTheModelCardBuildsItsQuery() throws {
        let file = try JSONDecoder().decode(ContractFile.self, from: Data(contentsOf: Self.fileURL))
        let catalog = StaticProductCatalog(file.products.map { Product(id: $0.id, name: $0.name, category: $0.category ?? "") })
        let builder = RerankQueryBuilder(catalog: catalog)
        let now = Date(timeIntervalSince1970: 1_750_000_000)
        #expect(file.cases.count >= 8)
        for example in file.cases {
            let widget = try #require(Widget(rawValue: example.widget), "\(example.name)")
            let history = try example.history.sorted { $0.minutes_ago < $1.minutes_ago }.map { event in
                Interaction(
                    userID: "u", productID: event.product, type: try #require(InteractionType(rawValue: event.type)),
                    occurredAt: now.addingTimeInterval(-event.minutes_ago * 60))
            }
            let request = RecommendationRequest(
                widget: widget, userID: "u", anchorProductID: example.anchor, cartItems: example.cart ?? [], queryText: example.query_text)
            let context = ShopperContext(
                request: request, history: history,
                purchased: Set(history.filter { $0.type == .purchase }.map(\.productID)), now: now)
            let (text, source) = builder.query(for: context)
            #expect(text == example.query, "\(example.name)")
            #expect(source.rawValue == example.source, "\(example.name)")
        }
        // The document side of the contract: name, plus " | category" when there is one.
        #expect(catalog.product("P9")?.rerankDocument == "NATURAL SLATE HEART CHALKBOARD | Home")
        #expect(catalog.product("P2")?.rerankDocument == "JUMBO BAG, RED \"RETROSPOT\"")
    }
}
