import Domain

/// Stage 2: normalises each source's raw scores per request, merges duplicates across sources and
/// blends `α·content + β·collaborative + γ·popularity + δ·item2vec`, keeping every component for explain.
public struct BlendedScorer: CandidateScorer {
    /// How one source's raw scores in one request become [0, 1] signals.
    public enum Normalization: String, Sendable, Hashable, Codable, CaseIterable {
        /// `(x − min)/(max − min)` over the source's list (its last item gets 0).
        case minMax = "min-max"
        /// `x / max` for non-negative scores: keeps the gap between the list's tail and "not
        /// proposed" (0). It ranked best on the validation split (docs/benchmarks/offline-quality.md).
        case maxScaled = "max"
        /// `1 − rank/n`: only the order counts.
        case rank
    }

    public var normalization: Normalization
    /// The content source's own normalisation, when it differs: cosine similarities of a query's
    /// nearest products bunch near the top, so `x / max` barely separates them while min-max
    /// spreads them over [0, 1]. `nil` = `normalization`.
    public var contentNormalization: Normalization?
    /// The share of the weaker of co-purchase and similar users added to the stronger in the
    /// collaborative signal (`ScoredItem.collaborative`).
    public var collaborativeAgreement: Float

    public init(
        normalization: Normalization = .maxScaled, contentNormalization: Normalization? = nil,
        collaborativeAgreement: Float = ScoredItem.defaultAgreement
    ) {
        self.normalization = normalization
        self.contentNormalization = contentNormalization
        self.collaborativeAgreement = collaborativeAgreement
    }

    /// How `origin`'s scores are normalised.
    public func normalization(of origin: CandidateOrigin) -> Normalization {
        origin == .content ? (contentNormalization ?? normalization) : normalization
    }

    /// One request: normalise per origin, merge by product, blend, sort, keep the best `depth`.
    /// - Complexity: O(n log n) for n candidates.
    public func score(request candidates: [Candidate], weights: RankingWeights, depth: Int = .max) -> [ScoredItem] {
        // Per-origin statistics in fixed slots (one per origin): no dictionary per request.
        // (Counts and ranks are small integers, exact in a Float.)
        var maxima = OriginScores(), minima = OriginScores(), counts = OriginScores()
        for candidate in candidates {
            maxima[candidate.origin] = max(maxima[candidate.origin] ?? -.infinity, candidate.rawScore)
            minima[candidate.origin] = min(minima[candidate.origin] ?? .infinity, candidate.rawScore)
            counts[candidate.origin] = (counts[candidate.origin] ?? 0) + 1
        }
        var ranks = OriginScores()
        var slots = ProductSlotMap(capacity: candidates.count)
        var signals: [Signals] = []
        signals.reserveCapacity(candidates.count)
        // Rank normalisation needs each origin's candidates in score order.
        let ordered = normalization == .rank || contentNormalization == .rank
            ? candidates.sorted { $0.rawScore > $1.rawScore }
            : candidates
        for candidate in ordered {
            let origin = candidate.origin
            let signal: Float
            switch normalization(of: origin) {
            case .minMax:
                let lo = minima[origin]!, hi = maxima[origin]!
                signal = hi > lo ? (candidate.rawScore - lo) / (hi - lo) : 1
            case .maxScaled:
                let hi = maxima[origin]!
                signal = hi > 0 ? max(0, candidate.rawScore) / hi : 1
            case .rank:
                let r = ranks[origin] ?? 0
                ranks[origin] = r + 1
                signal = 1 - r / max(1, counts[origin] ?? 0)
            }
            let (slot, inserted) = slots.slot(for: candidate.productID)
            if inserted { signals.append(Signals()) }
            // A source listing a product twice keeps its best signal.
            switch origin {
            case .content: signals[slot].content = max(signals[slot].content, signal)
            case .coPurchase: signals[slot].coPurchase = max(signals[slot].coPurchase, signal)
            case .similarUsers: signals[slot].similarUsers = max(signals[slot].similarUsers, signal)
            case .popularity: signals[slot].popularity = max(signals[slot].popularity, signal)
            case .item2vec: signals[slot].item2vec = max(signals[slot].item2vec, signal)
            }
            signals[slot].raw[origin] = max(signals[slot].raw[origin] ?? -.infinity, candidate.rawScore)
        }
        let blendedScores = signals.map { signal in
            weights.content * signal.content
                + weights.collaborative * ScoredItem.collaborative(
                    coPurchase: signal.coPurchase, similarUsers: signal.similarUsers, agreement: collaborativeAgreement)
                + weights.popularity * signal.popularity
                + weights.item2vec * signal.item2vec
        }
        // Sort positions, then make items of the best `depth` only: a request merges up to
        // 4 × 100 candidates, and as `ScoredItem`s (~100 bytes, with strings and an array) they
        // cost more to create, move and release than the blending itself.
        let ids = slots.ids
        var order = Array(signals.indices)
        order.sort { a, b in
            blendedScores[a] != blendedScores[b] ? blendedScores[a] > blendedScores[b] : ids[a] < ids[b]
        }
        return order.prefix(max(0, depth)).map { slot in
            let signal = signals[slot]
            var item = ScoredItem(productID: ids[slot])
            item.content = signal.content
            item.coPurchase = signal.coPurchase
            item.similarUsers = signal.similarUsers
            item.popularity = signal.popularity
            item.item2vec = signal.item2vec
            item.rawScores = signal.raw
            item.blended = blendedScores[slot]
            item.final = blendedScores[slot]
            return item
        }
    }

    /// One product's normalised signals while the candidates merge: plain numbers.
    private struct Signals {
        var content: Float = 0
        var coPurchase: Float = 0
        var similarUsers: Float = 0
        var popularity: Float = 0
        var item2vec: Float = 0
        var raw = OriginScores()
    }
}

extension RankingWeights {
    /// Homepage weights tuned on the validation split (task A, docs/benchmarks/offline-quality.md).
    public static let homepageDefault = RankingWeights(content: 0.1, collaborative: 0.5, popularity: 0.5)
    /// Cart weights tuned on the validation split (task C, docs/benchmarks/offline-quality.md).
    public static let cartDefault = RankingWeights(content: 0.1, collaborative: 0.85, popularity: 0.05)
}
