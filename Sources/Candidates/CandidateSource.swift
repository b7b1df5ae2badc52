import Domain

/// Stage 1: one source of candidates (content, co-purchase, similar users, popularity).
///
/// Sources work on whole batches so the offline evaluation and batched serving share one path;
/// each returned list is sorted by `rawScore`, best first, at most `limit` long.
public protocol CandidateSource: Sendable {
    var origin: CandidateOrigin { get }
    func candidates(for contexts: [ShopperContext], limit: Int) async throws -> [[Candidate]]
}

/// A source that answers each request on its own (no batched model or index call): it writes
/// the one-request case, and the batch is that case per context, written here once.
public protocol PerRequestCandidateSource: CandidateSource {
    /// One request's candidates, sorted by `rawScore`, best first, at most `limit` long.
    func candidates(for context: ShopperContext, limit: Int) -> [Candidate]
}

extension PerRequestCandidateSource {
    public func candidates(for contexts: [ShopperContext], limit: Int) async throws -> [[Candidate]] {
        contexts.map { candidates(for: $0, limit: limit) }
    }
}
