import Domain

/// Stage 2: merges the sources' candidates for each request, normalises each source's scores
/// per request and blends them as `α·content + β·collaborative + γ·popularity`.
public protocol CandidateScorer: Sendable {
    /// - Parameters:
    ///   - candidates: for each request, every source's list (any order; duplicates across sources merge).
    ///   - weights: one weight set per request (the experiment variant's).
    /// - Returns: for each request, items sorted by `blended` descending, with `final = blended`.
    func score(_ candidates: [[Candidate]], weights: [RankingWeights]) -> [[ScoredItem]]
}
