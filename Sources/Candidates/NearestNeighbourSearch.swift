import Domain

/// What `ContentSource` needs from a vector index: exact (`VectorIndex`) or approximate (`HNSWIndex`).
public protocol NearestNeighbourSearch: Sendable {
    var dimension: Int { get }
    /// The `k` best products passing `filter` (never fewer while `k` match), best first.
    func search(_ query: [Float], k: Int, filter: ProductFilter, excluding: Set<ProductID>) -> [(productID: ProductID, score: Float)]
    func vector(of productID: ProductID) -> [Float]?
}

/// A vector index the live service keeps current: upserts and deletes are searchable at once.
/// The service holds one behind this protocol and picks the kind by configuration (exact up to a
/// few hundred thousand products, HNSW beyond).
public protocol ProductVectorIndex: NearestNeighbourSearch, AnyObject {
    func upsert(_ product: Product, vector: [Float])
    func delete(_ productID: ProductID)
    /// Live products in the index.
    var count: Int { get }
}

extension VectorIndex: ProductVectorIndex {}
extension HNSWIndex: ProductVectorIndex {}
