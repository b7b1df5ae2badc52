import Domain

/// What `ContentSource` needs from a vector index: exact (`VectorIndex`) or approximate (`HNSWIndex`).
public protocol NearestNeighbourSearch: Sendable {
    var dimension: Int { get }
    /// The `k` best products passing `filter` (never fewer while `k` match), best first.
    func search(_ query: [Float], k: Int, filter: ProductFilter, excluding: Set<ProductID>) -> [(productID: ProductID, score: Float)]
    func vector(of productID: ProductID) -> [Float]?
}

extension VectorIndex: NearestNeighbourSearch {}
