import Domain

/// Maximal marginal relevance on product embeddings, for catalogs without categories: fills the
/// first `window` positions greedily with the item maximising
/// `λ · relevance − (1 − λ) · max cosine(item, already chosen)`, where relevance is `final`
/// min-max normalised over the list. The rest keeps its order below the window.
///
/// Items without an embedding count as dissimilar to everything. Off when the context has no
/// embedding lookup.
/// - Complexity: O(window · n · d) for n items of dimension d (n ≈ 100, d = 384: small next to
/// stage 3's cross-encoder).
public struct MMRDiversityRule: Rule {
    public let name = "mmr"
    /// 1 = pure relevance, 0 = pure novelty.
    public var lambda: Float = 0.7
    public var window: Int = 10

    public func apply(to items: inout [ScoredItem], context: RuleContext, report: inout RuleReport) {
        guard let lookup = context.embeddings, window > 1, items.count > 2 else { return }
        let n = items.count
        let vectors: [[Float]?] = items.map { lookup.embedding(for: $0.productID).map(Self.normalised) }
        let finals = items.map(\.final)
        let low = finals.min() ?? 0, high = finals.max() ?? 0
        let span = high - low
        let relevance = finals.map { span > 0 ? ($0 - low) / span : 1 }

        // maxSimilarity[i]: the largest cosine between item i and any chosen item.
        var maxSimilarity = [Float](repeating: -.infinity, count: n)
        var chosen = [Bool](repeating: false, count: n)
        var order: [Int] = []
        let slots = min(window, n)
        order.reserveCapacity(n)
        for _ in 0..<slots {
            var best = -1
            var bestValue = -Float.infinity
            for i in 0..<n where !chosen[i] {
                let redundancy = maxSimilarity[i] == -.infinity ? 0 : max(0, maxSimilarity[i])
                let value = lambda * relevance[i] - (1 - lambda) * redundancy
                if value > bestValue {
                    bestValue = value
                    best = i
                }
            }
            chosen[best] = true
            order.append(best)
            guard let picked = vectors[best] else { continue }
            for i in 0..<n where !chosen[i] {
                guard let other = vectors[i], other.count == picked.count else { continue }
                let similarity = Self.dot(picked, other)
                if similarity > maxSimilarity[i] { maxSimilarity[i] = similarity }
            }
        }
        for i in 0..<n where !chosen[i] { order.append(i) }
        guard order != Array(0..<n) else { return }
        var reordered: [ScoredItem] = []
        reordered.reserveCapacity(n)
        for (position, original) in order.enumerated() {
            var item = items[original]
            if position != original { item.rulesFired.append(RuleLabel.reorderedMMR) }
            reordered.append(item)
        }
        items = reordered
    }

    private static func normalised(_ vector: [Float]) -> [Float] {
        var norm: Float = 0
        for value in vector { norm += value * value }
        norm = norm.squareRoot()
        return norm > 0 ? vector.map { $0 / norm } : vector
    }

    private static func dot(_ a: [Float], _ b: [Float]) -> Float {
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                var sum: Float = 0
                for i in 0..<a.count { sum += a[i] * b[i] }
                return sum
            }
        }
    }
}
