import Domain

/// Stage 1: one source of candidates (content, co-purchase, similar users, popularity).
///
/// Sources work on whole batches so the offline evaluation and batched serving share one path;
/// each returned list is sorted by `rawScore`, best first, at most `limit` long.
public protocol CandidateSource: Sendable {
    var origin: CandidateOrigin { get }
    func candidates(for contexts: [ShopperContext], limit: Int) async throws -> [[Candidate]]
}
