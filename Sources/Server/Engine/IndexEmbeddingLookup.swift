import Candidates
import Domain
import Rules

/// The live vector index doubles as the MMR rule's embedding lookup (catalogs without categories).
extension VectorIndex: ProductEmbeddingLookup {
    public func embedding(for productID: ProductID) -> [Float]? {
        vector(of: productID)
    }
}
