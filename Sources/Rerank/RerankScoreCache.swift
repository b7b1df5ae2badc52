import Domain

/// Where cross-encoder logits are remembered, so a repeat context costs no model call.
/// The server's implementation is Redis (shared by replicas, with a TTL) behind an in-process
/// `InMemoryRerankScoreCache`; that one alone serves tests and offline runs. All take whole
/// batches: one round trip per request.
public protocol RerankScoreCache: Sendable {
    /// One entry per key, in order; `nil` for a miss. Never throws: an unavailable cache misses.
    func get(keys: [String]) async -> [Float?]
    func set(_ entries: [(String, Float)]) async
}
