import Domain
import Evaluation
import Foundation
import Rerank
import Testing
import TestSupport

@Suite("recommend-batch --write-candidates: the rerank windows as stage 3 sees them")
struct RerankCandidateFileTests {
    /// Names with a comma and quotes, so the CSV quoting is exercised.
    static let products = [
        Product(id: "A", name: "JUMBO BAG, RED \"RETROSPOT\""), Product(id: "B", name: "item B", category: "Bags"),
        Product(id: "C", name: "item C"), Product(id: "D", name: "item D"), Product(id: "E", name: "item E"),
    ]
    static let history = [
        TestFixtures.purchase("u1", "A", basket: "1", day: 0), TestFixtures.purchase("u1", "B", basket: "1", day: 0),
        TestFixtures.purchase("u2", "A", basket: "2", day: 1), TestFixtures.purchase("u2", "B", basket: "2", day: 1),
        TestFixtures.purchase("u2", "C", basket: "2", day: 1),
        TestFixtures.purchase("u3", "C", basket: "3", day: 2), TestFixtures.purchase("u3", "D", basket: "3", day: 2),
        TestFixtures.purchase("u3", "E", basket: "4", day: 2.5),
    ]

    func recommender(reranker: (any Reranker)?, window: Int) -> OfflineRecommender {
        var options = OfflineRecommender.Options()
        options.k = 3
        options.rerankWindow = window
        return OfflineRecommender(
            products: Self.products, history: Self.history, now: TestFixtures.day(3), embeddings: nil, reranker: reranker, options: options)
    }

    @Test func theDumpHoldsTheBuildersQueryTheDocumentsAndTheBlendedOrderAndChangesNoList() async throws {
        let catalog = StaticProductCatalog(Self.products)
        let log = RerankCandidateLog()
        let recorded = recommender(reranker: RecordingReranker(inner: nil, log: log, catalog: catalog), window: 4)
        let users = ["u1", "u3", "stranger"]
        let lists = try await recorded.recommend(users: users)
        // Recording hands the lists on unchanged: the same lists as with no stage 3 at all.
        #expect(lists == (try await recommender(reranker: nil, window: 0).recommend(users: users)))

        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hybridrank-candidates-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: url) }
        try RerankCandidateFile.write(log.entries, task: "homepage", queryIDs: users, users: users, to: url)
        let table = try CSVTable.read(url)
        #expect(table.header.joined(separator: ",") == RerankCandidateFile.header)
        let column = { (name: String) in try table.column(name) }
        let (queryColumn, idColumn, positionColumn) = (try column("query"), try column("query_id"), try column("position"))
        let (productColumn, documentColumn, blendedColumn) = (try column("product_id"), try column("document"), try column("blended"))

        let builder = RerankQueryBuilder(catalog: catalog)
        for user in users {
            let rows = table.rows.filter { $0[idColumn] == user }
            let context = ShopperContext(
                request: RecommendationRequest(widget: .homepage, userID: user), history: recorded.historyByUser[user] ?? [])
            #expect(rows.allSatisfy { $0[queryColumn] == builder.query(for: context).text }, "\(user)")
            #expect(rows.map { $0[positionColumn] } == rows.indices.map { String($0 + 1) })
            #expect(rows.count <= 4)
            let blended = rows.compactMap { Float($0[blendedColumn]) }
            #expect(blended == blended.sorted(by: >), "window in blended order")
            for row in rows { #expect(row[documentColumn] == catalog.product(row[productColumn])?.rerankDocument) }
        }
        // u3 bought C, D then E: the query is the purchases, most recent first; the window is not empty.
        let u3 = table.rows.filter { $0[idColumn] == "u3" }
        #expect(u3.first?[queryColumn] == "item E ; item C ; item D" || u3.first?[queryColumn] == "item E ; item D ; item C")
        #expect(!u3.isEmpty)
        // The quoted name comes back whole.
        let u1 = table.rows.filter { $0[idColumn] == "u1" }
        #expect(u1.first?[queryColumn].contains("JUMBO BAG, RED \"RETROSPOT\"") == true)
    }

    @Test func listsThatDoNotMatchTheirQueriesAreRefused() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hybridrank-candidates-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: url) }
        let entry = RerankCandidateLog.Entry(userID: "u1", widget: .cart, query: "q", querySource: .purchases, items: [], documents: [])
        #expect(throws: RerankCandidateFile.MismatchError.self) {
            try RerankCandidateFile.write([entry], task: "cart", queryIDs: ["b1", "b2"], users: ["u1", "u1"], to: url)
        }
        #expect(throws: RerankCandidateFile.MismatchError.self) {
            try RerankCandidateFile.write([entry], task: "cart", queryIDs: ["b1"], users: ["u2"], to: url)
        }
    }
}
