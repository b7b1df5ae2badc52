import Candidates
import Domain
import Rules

/// The live vector index doubles as the MMR rule's embedding lookup (catalogs without categories).
public struct IndexEmbeddingLookup: ProductEmbeddingLookup {
    public let index: any NearestNeighbourSearch

    public init(index: any NearestNeighbourSearch) {
        self.index = index
    }

    public func embedding(for productID: ProductID) -> [Float]? {
        index.vector(of: productID)
    }
}
