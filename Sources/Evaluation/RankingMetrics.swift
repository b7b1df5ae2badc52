import Domain
import Foundation

/// Recall/NDCG/HitRate/MRR@K and coverage, exactly as `protocol.py` computes them: the first K
/// distinct products of each list count; a user or basket without a list scores 0; NDCG uses
/// binary relevance with the ideal DCG over min(K, |truth|); coverage = distinct products in the
/// scored lists / catalog size.
public struct RankingMetrics: Sendable, Hashable, Codable {
    public var evaluated: Int
    public var recall: Double
    public var ndcg: Double
    public var hitRate: Double
    public var mrr: Double
    public var coverage: Double
    public var distinctItems: Int

    public init(evaluated: Int, recall: Double, ndcg: Double, hitRate: Double, mrr: Double, coverage: Double, distinctItems: Int) {
        self.evaluated = evaluated
        self.recall = recall
        self.ndcg = ndcg
        self.hitRate = hitRate
        self.mrr = mrr
        self.coverage = coverage
        self.distinctItems = distinctItems
    }

    /// Metrics of per-key lists against per-key truth sets (tasks A and B, or C with one hidden item).
    public static func score(
        lists: [String: [ProductID]], truth: [String: Set<ProductID>], k: Int = 10, catalogSize: Int
    ) -> RankingMetrics {
        let discounts = (0..<k).map { 1 / log2(Double($0) + 2) }
        var recall = 0.0, ndcg = 0.0, hits = 0.0, mrr = 0.0
        var items = Set<ProductID>()
        for (key, relevant) in truth {
            guard let list = lists[key] else { continue }
            var seen = Set<ProductID>()
            var top: [ProductID] = []
            for product in list where seen.insert(product).inserted {
                top.append(product)
                if top.count == k { break }
            }
            items.formUnion(top)
            var hitCount = 0.0, dcg = 0.0, reciprocal = 0.0
            for (rank, product) in top.enumerated() where relevant.contains(product) {
                hitCount += 1
                dcg += discounts[rank]
                if reciprocal == 0 { reciprocal = 1 / Double(rank + 1) }
            }
            let m = min(k, relevant.count)
            guard m > 0 else { continue }
            recall += hitCount / Double(m)
            ndcg += dcg / discounts[0..<m].reduce(0, +)
            hits += hitCount > 0 ? 1 : 0
            mrr += reciprocal
        }
        let n = Double(max(1, truth.count))
        return RankingMetrics(
            evaluated: truth.count, recall: recall / n, ndcg: ndcg / n, hitRate: hits / n, mrr: mrr / n,
            coverage: catalogSize > 0 ? Double(items.count) / Double(catalogSize) : 0, distinctItems: items.count)
    }
}
