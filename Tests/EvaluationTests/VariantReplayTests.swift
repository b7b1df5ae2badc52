import Candidates
import Domain
@testable import Evaluation
import Experiments
import Foundation
import Rerank
import Testing
import TestSupport

/// `hybridrank replay`: the table/lift formatting, and that a variant's parameters really change
/// what the offline pipeline serves.
@Suite struct VariantReplayTests {
    static func metrics(ndcg: Double, hitRate: Double) -> RankingMetrics {
        RankingMetrics(evaluated: 10, recall: 0.3, ndcg: ndcg, hitRate: hitRate, mrr: 0.05, coverage: 0.25, distinctItems: 5)
    }

    static let experiment = Experiment(
        key: "homepage-weights", widgets: [.homepage],
        variants: [
            ExperimentVariant(key: "control", weight: 0.5),
            ExperimentVariant(key: "treatment", weight: 0.5, parameters: VariantParameters(alpha: 0.2, gamma: 0.1)),
        ])

    @Test func tableRowsAndLiftsFromHandMadeMetrics() {
        var table = VariantReplayTable(experiment: Self.experiment)
        table.add(
            task: "A", baseWeights: RankingWeights(content: 0.1, collaborative: 0.5, popularity: 0.5),
            metrics: [Self.metrics(ndcg: 0.10, hitRate: 0.30), Self.metrics(ndcg: 0.12, hitRate: 0.40)])
        table.add(
            task: "C", baseWeights: RankingWeights(content: 0.3, collaborative: 0.7, popularity: 0),
            metrics: [Self.metrics(ndcg: 0.50, hitRate: 0.20), Self.metrics(ndcg: 0.40, hitRate: 0.19)])
        let lines = table.markdown.split(separator: "\n").map(String.init)
        #expect(lines.count == 6)
        #expect(lines[0] == "| task | variant | weight | α,β,γ | NDCG@10 | Recall@10 | HitRate@10 | MRR@10 | coverage |")
        // The control inherits the widget defaults; the treatment overrides α and γ only.
        #expect(lines[2] == "| A | control | 0.50 | 0.10,0.50,0.50 | 0.1000 | 0.3000 | 0.3000 | 0.0500 | 0.250 |")
        #expect(lines[3] == "| A | treatment | 0.50 | 0.20,0.50,0.10 | 0.1200 | 0.3000 | 0.4000 | 0.0500 | 0.250 |")
        #expect(lines[5] == "| C | treatment | 0.50 | 0.20,0.70,0.10 | 0.4000 | 0.3000 | 0.1900 | 0.0500 | 0.250 |")
        // NDCG on task A, HitRate on task C: 0.12/0.10 = +20%, 0.19/0.20 = −5%.
        #expect(table.liftLines == ["treatment vs control: task A NDCG@10 +20.0%, task C HitRate@10 -5.0%"])
    }

    @Test func liftOverAZeroControlIsNotANumber() {
        #expect(VariantReplayTable.formatLift(0.1, over: 0) == "n/a")
        #expect(VariantReplayTable.formatLift(0.09, over: 0.1) == "-10.0%")
        var table = VariantReplayTable(experiment: Self.experiment)
        table.add(task: "C", baseWeights: RankingWeights(), metrics: [Self.metrics(ndcg: 0, hitRate: 0), Self.metrics(ndcg: 0, hitRate: 0.1)])
        #expect(table.liftLines == ["treatment vs control: task C HitRate@10 n/a"])
    }

    @Test func jsonHasTheDocumentedShape() throws {
        var table = VariantReplayTable(experiment: Self.experiment)
        table.add(task: "A", baseWeights: RankingWeights(), metrics: [Self.metrics(ndcg: 0.1, hitRate: 0.3), Self.metrics(ndcg: 0.12, hitRate: 0.4)])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(table.json(split: "2011-06-01").utf8)) as? [String: Any])
        #expect(object["experiment"] as? String == "homepage-weights")
        #expect(object["split"] as? String == "2011-06-01")
        let rows = try #require(object["rows"] as? [[String: Any]])
        #expect(rows.count == 2)
        #expect(Set(rows[1].keys) == ["task", "variant", "ndcg", "recall", "hit_rate", "mrr", "coverage"])
        #expect(rows[1]["variant"] as? String == "treatment")
        #expect(rows[1]["hit_rate"] as? Double == 0.4)
    }

    // MARK: - Variants through OfflineRecommender

    static let products = ["A", "B", "C", "D", "E", "F"].map { Product(id: $0, name: "item \($0)") }
    /// u1 bought A; A was bought together with B only. F, E, D are the popular products (3, 2, 1
    /// buyers), so popularity and collaborative evidence disagree about what u1 should see.
    static let history = [
        TestFixtures.purchase("u1", "A", basket: "1", day: 0),
        TestFixtures.purchase("u2", "A", basket: "2", day: 1), TestFixtures.purchase("u2", "B", basket: "2", day: 1),
        TestFixtures.purchase("u3", "F", basket: "3", day: 2), TestFixtures.purchase("u3", "E", basket: "3", day: 2),
        TestFixtures.purchase("u4", "F", basket: "4", day: 2), TestFixtures.purchase("u4", "E", basket: "4", day: 2),
        TestFixtures.purchase("u4", "D", basket: "4", day: 2),
        TestFixtures.purchase("u5", "F", basket: "5", day: 2),
    ]
    static let now = TestFixtures.day(10)
    static let popularityOnly = VariantParameters(alpha: 0, beta: 0, gamma: 1)
    static let collaborativeOnly = VariantParameters(alpha: 0, beta: 1, gamma: 0)

    static func recommender(variant: VariantParameters?, reranker: (any Reranker)? = nil) -> OfflineRecommender {
        var options = OfflineRecommender.Options()
        options.k = 3
        options.excludePurchased = true
        options.variant = variant
        return OfflineRecommender(products: products, history: history, now: now, embeddings: nil, reranker: reranker, options: options)
    }

    @Test func popularityOnlyVariantServesThePopularityOrder() async throws {
        let popularity = PopularityIndex(configuration: OfflineRecommender.Options().popularity)
        popularity.rebuild(from: Self.history, categoryOf: { _ in "" })
        let expected = Array(popularity.top(10, now: Self.now).map(\.productID).filter { $0 != "A" }.prefix(3))
        #expect(expected == ["F", "E", "D"])

        let popular = try await Self.recommender(variant: Self.popularityOnly).recommend(users: ["u1"])
        let collaborative = try await Self.recommender(variant: Self.collaborativeOnly).recommend(users: ["u1"])
        #expect(popular["u1"] == expected)
        // β alone puts A's co-purchase B first, which popularity ranks last.
        #expect(collaborative["u1"]?.first == "B")
        #expect(popular["u1"]?.contains("B") == false)
    }

    @Test func sharedIndexesServeWhatAFreshBuildServes() async throws {
        let shared = Self.recommender(variant: nil)
        for variant in [Self.popularityOnly, Self.collaborativeOnly] {
            let reused = try await shared.sharingIndexes(variant: variant, excludePurchased: true).recommend(users: ["u1", "u2", "new"])
            let fresh = try await Self.recommender(variant: variant).recommend(users: ["u1", "u2", "new"])
            #expect(reused == fresh)
        }
        // An empty variant is the control: nothing overridden.
        let control = try await shared.recommend(users: ["u1", "u2"])
        let empty = try await shared.sharingIndexes(variant: VariantParameters(), excludePurchased: true).recommend(users: ["u1", "u2"])
        #expect(control == empty)
    }

    @Test func variantRerankWindowDecidesWhetherTheRerankerRuns() async throws {
        let reranker = ReversingReranker()
        var reranked = Self.popularityOnly
        reranked.rerankWindow = 10
        let plain = try await Self.recommender(variant: Self.popularityOnly, reranker: reranker).recommend(users: ["u1"])
        #expect(reranker.windows.isEmpty)
        #expect(plain["u1"] == ["F", "E", "D"])
        let lists = try await Self.recommender(variant: reranked, reranker: reranker).recommend(users: ["u1"])
        #expect(reranker.windows == [10])
        // The blended list F, E, D, B (A excluded before rerank) reversed, cut to 3.
        #expect(lists["u1"] == ["B", "D", "E"])
    }
}

/// Reverses each list's window and records the windows it was asked for.
private final class ReversingReranker: Reranker, @unchecked Sendable {
    private let lock = NSLock()
    private var requested: [Int] = []

    var windows: [Int] { lock.withLock { requested } }

    func rerank(_ jobs: [RerankJob]) async throws -> RerankOutcome {
        lock.withLock { requested += jobs.map(\.options.window) }
        let lists = jobs.map { job in
            let window = min(job.options.window, job.list.count)
            var head = Array(job.list[..<window].reversed())
            for index in head.indices { head[index].final = Float(window - index) + 100 }
            return head + job.list[window...]
        }
        return RerankOutcome(lists: lists, reports: jobs.map { RerankReport(windowRequested: $0.options.window, windowUsed: min($0.options.window, $0.list.count)) })
    }
}
