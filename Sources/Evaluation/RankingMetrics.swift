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

    /// One evaluated key's values, the terms `score` averages: what a paired bootstrap resamples.
    public struct KeyScore: Sendable, Hashable {
        public var recall: Double = 0
        public var ndcg: Double = 0
        /// 1 when any of the first K products is relevant, else 0.
        public var hit: Double = 0
        /// 1 / rank of the first relevant product in the first K, else 0 (MRR's term).
        public var reciprocalRank: Double = 0
    }

    /// Metrics of per-key lists against per-key truth sets (tasks A and B, or C with one hidden item).
    public static func score(
        lists: [String: [ProductID]], truth: [String: Set<ProductID>], k: Int = 10, catalogSize: Int
    ) -> RankingMetrics {
        var recall = 0.0, ndcg = 0.0, hits = 0.0, mrr = 0.0
        var items = Set<ProductID>()
        for (key, relevant) in truth {
            guard let list = lists[key] else { continue }
            let top = topK(list, k: k)
            items.formUnion(top)
            let one = keyScore(top: top, relevant: relevant, k: k)
            recall += one.recall
            ndcg += one.ndcg
            hits += one.hit
            mrr += one.reciprocalRank
        }
        let n = Double(max(1, truth.count))
        return RankingMetrics(
            evaluated: truth.count, recall: recall / n, ndcg: ndcg / n, hitRate: hits / n, mrr: mrr / n,
            coverage: catalogSize > 0 ? Double(items.count) / Double(catalogSize) : 0, distinctItems: items.count)
    }

    /// Each key's values in `keys` order (a key without a list or truth scores 0), so two engines'
    /// arrays pair up element by element; their means are `score`'s metrics over the same keys.
    public static func keyScores(
        lists: [String: [ProductID]], truth: [String: Set<ProductID>], keys: [String], k: Int = 10
    ) -> [KeyScore] {
        keys.map { key in
            guard let list = lists[key], let relevant = truth[key] else { return KeyScore() }
            return keyScore(top: topK(list, k: k), relevant: relevant, k: k)
        }
    }

    /// The first `k` distinct products of a list.
    private static func topK(_ list: [ProductID], k: Int) -> [ProductID] {
        var seen = Set<ProductID>()
        var top: [ProductID] = []
        for product in list where seen.insert(product).inserted {
            top.append(product)
            if top.count == k { break }
        }
        return top
    }

    private static func keyScore(top: [ProductID], relevant: Set<ProductID>, k: Int) -> KeyScore {
        let m = min(k, relevant.count)
        guard m > 0 else { return KeyScore() }
        var hitCount = 0.0, dcg = 0.0, reciprocal = 0.0
        for (rank, product) in top.enumerated() where relevant.contains(product) {
            hitCount += 1
            dcg += discount(rank)
            if reciprocal == 0 { reciprocal = 1 / Double(rank + 1) }
        }
        let ideal = (0..<m).reduce(0.0) { $0 + discount($1) }
        return KeyScore(recall: hitCount / Double(m), ndcg: dcg / ideal, hit: hitCount > 0 ? 1 : 0, reciprocalRank: reciprocal)
    }

    private static func discount(_ rank: Int) -> Double { 1 / log2(Double(rank) + 2) }
}
