import Domain
import Evaluation
import Foundation
import Testing
import TestSupport

@Suite struct EvaluationTests {
    @Test func metricsOnAHandExample() {
        let lists = ["u1": ["a", "b", "c"], "u3": ["x"]]
        let truth: [String: Set<ProductID>] = ["u1": ["b", "z"], "u2": ["a"]]
        let m = RankingMetrics.score(lists: lists, truth: truth, k: 10, catalogSize: 10)
        let ndcgU1 = (1 / log2(3.0)) / (1 + 1 / log2(3.0))
        #expect(m.evaluated == 2)
        #expect(abs(m.recall - 0.25) < 1e-12)
        #expect(abs(m.ndcg - ndcgU1 / 2) < 1e-12)
        #expect(abs(m.hitRate - 0.5) < 1e-12)
        #expect(abs(m.mrr - 0.25) < 1e-12)
        #expect(abs(m.coverage - 0.3) < 1e-12)  // u3 is not evaluated, so "x" does not count
    }

    @Test func protocolSplitsAndBuildsTruth() {
        let split = TestFixtures.day(10)
        let events = [
            TestFixtures.purchase("u1", "a", basket: "1", day: 0),
            TestFixtures.purchase("u1", "a", basket: "2", day: 11),
            TestFixtures.purchase("u1", "b", basket: "2", day: 11),
            TestFixtures.purchase("u2", "c", basket: "3", day: 12),
        ]
        let p = EvaluationProtocol(events: events, splitDate: split, endDate: TestFixtures.day(100))
        #expect(p.evaluationUsers == ["u1"])
        #expect(p.truthTaskA() == ["u1": ["b"]])
        #expect(p.truthTaskB() == ["u1": ["a", "b"]])
        let queries = p.taskCQueries()
        #expect(queries.count == 1)
        #expect(queries[0].basketID == "2")
        #expect(Set(queries[0].cart + [queries[0].hidden!]) == ["a", "b"])
    }

    @Test func timestampsParseAsUTC() {
        #expect(RetailTimestamp.parse("2011-06-01")?.timeIntervalSince1970 == 1_306_886_400)
        #expect(RetailTimestamp.parse("2009-12-01T07:45:00")?.timeIntervalSince1970 == 1_259_653_500)
    }

    @Test func csvHandlesQuotedCommas() {
        let table = CSVTable.parse(Data("product_id,name\n16156L,\"WRAP, CAROUSEL\"\n".utf8))
        #expect(table.rows == [["16156L", "WRAP, CAROUSEL"]])
    }

    @Test func batchRecommendationOnATinyFixtureWritesTheExpectedFile() async throws {
        let products = ["A", "B", "C", "D", "E"].map { Product(id: $0, name: "item \($0)") }
        let history = [
            TestFixtures.purchase("u1", "A", basket: "1", day: 0), TestFixtures.purchase("u1", "B", basket: "1", day: 0),
            TestFixtures.purchase("u2", "A", basket: "2", day: 1), TestFixtures.purchase("u2", "B", basket: "2", day: 1),
            TestFixtures.purchase("u2", "C", basket: "2", day: 1),
            TestFixtures.purchase("u3", "C", basket: "3", day: 2), TestFixtures.purchase("u3", "D", basket: "3", day: 2),
        ]
        var options = OfflineRecommender.Options()
        options.k = 2
        let recommender = OfflineRecommender(products: products, history: history, now: TestFixtures.day(3), embeddings: nil, options: options)
        let lists = try await recommender.recommend(carts: [CartQuery(basketID: "q1", customerID: "new", cart: ["A"])])
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hybridrank-batch-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: url) }
        try RecommendationFile.write(lists, keys: ["q1"], keyColumn: "basket_id", to: url)
        // cos(A,B) = 2/√(2·2) = 1 beats cos(A,C) = 1/2; the cart item itself is never listed.
        #expect(try String(contentsOf: url, encoding: .utf8) == "basket_id,rank,product_id\nq1,1,B\nq1,2,C\n")
    }
}
