import Domain

/// Stage 2: merges one request's candidates, normalises each source's scores within the request
/// and blends them as `α·content + β·collaborative + γ·popularity`. Per request: a request's
/// signals never depend on another's, so a batch is a loop over its requests.
public protocol CandidateScorer: Sendable {
    /// - Parameters:
    ///   - candidates: every source's list for the request (any order; duplicates across sources merge).
    ///   - weights: the request's weight set (the experiment variant's).
    ///   - depth: how many of the best items the request needs; the rest are left out after
    ///     normalisation and blending have seen every candidate.
    /// - Returns: items sorted by `blended` descending, with `final = blended`.
    func score(request candidates: [Candidate], weights: RankingWeights, depth: Int) -> [ScoredItem]
}
