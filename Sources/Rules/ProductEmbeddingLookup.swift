import Domain

/// Embedding vectors of catalog products, for the MMR diversity rule on catalogs without
/// categories. The server backs it with its vector index; tests with a dictionary.
public protocol ProductEmbeddingLookup: Sendable {
    /// The product's embedding (any length, the same for every product), or `nil` when unknown.
    func embedding(for productID: ProductID) -> [Float]?
}

/// A fixed set of embeddings in a dictionary (tests and offline runs).
public struct StaticEmbeddingLookup: ProductEmbeddingLookup {
    public let vectors: [ProductID: [Float]]

    public init(_ vectors: [ProductID: [Float]]) {
        self.vectors = vectors
    }

    public func embedding(for productID: ProductID) -> [Float]? { vectors[productID] }
}
