/// The scoring backend of the cross-encoder reranker: one call per batch of (query, document)
/// pairs, returning one raw logit per pair in order. The model is one implementation
/// (`CrossEncoderPairScorer`); tests use a counting fake.
public protocol PairScorer: Sendable {
    /// Identifies the model in cache keys and responses, e.g. `retail-reranker@d67a0c626301`.
    var modelVersion: String { get }
    func score(pairs: [(query: String, document: String)]) async throws -> [Float]
}
