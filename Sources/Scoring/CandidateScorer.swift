import Domain

/// Stage 2: merges the sources' candidates for each request, normalises each source's scores
/// per request and blends them as `α·content + β·collaborative + γ·popularity`.
public protocol CandidateScorer: Sendable {
    /// - Parameters:
    ///   - candidates: for each request, every source's list (any order; duplicates across sources merge).
    ///   - weights: one weight set per request (the experiment variant's).
    ///   - depths: for each request, how many of the best items it needs (`nil`: all of them); the
    ///     rest are left out after normalisation and blending have seen every candidate.
    /// - Returns: for each request, items sorted by `blended` descending, with `final = blended`.
    func score(_ candidates: [[Candidate]], weights: [RankingWeights], depths: [Int]?) -> [[ScoredItem]]
}

extension CandidateScorer {
    /// Every item of every request.
    public func score(_ candidates: [[Candidate]], weights: [RankingWeights]) -> [[ScoredItem]] {
        score(candidates, weights: weights, depths: nil)
    }
}
