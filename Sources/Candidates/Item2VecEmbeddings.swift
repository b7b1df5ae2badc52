import CBLAS
import Domain

/// Product vectors trained by `Item2VecTrainer`, unit-normalised so a dot product is a cosine,
/// stored row-major in one contiguous buffer for BLAS.
public struct Item2VecEmbeddings: Sendable {
    public let productIDs: [ProductID]
    public let dimension: Int
    /// `productIDs.count × dimension`, each row of length 1 (or all zeros for a degenerate row).
    public let vectors: [Float]
    private let ordinals: [ProductID: Int32]

    public init(productIDs: [ProductID], dimension: Int, vectors: [Float]) {
        precondition(vectors.count == productIDs.count * dimension, "one row of `dimension` floats per product")
        self.productIDs = productIDs
        self.dimension = dimension
        var normalised = vectors
        for row in 0..<productIDs.count {
            var norm: Float = 0
            for d in 0..<dimension { norm += normalised[row * dimension + d] * normalised[row * dimension + d] }
            norm = norm.squareRoot()
            if norm > 0 { for d in 0..<dimension { normalised[row * dimension + d] /= norm } }
        }
        self.vectors = normalised
        ordinals = Dictionary(uniqueKeysWithValues: productIDs.enumerated().map { ($0.element, Int32($0.offset)) })
    }

    public var count: Int { productIDs.count }

    public func ordinal(of productID: ProductID) -> Int32? { ordinals[productID] }

    public func vector(of productID: ProductID) -> ArraySlice<Float>? {
        guard let row = ordinals[productID].map(Int.init) else { return nil }
        return vectors[(row * dimension)..<((row + 1) * dimension)]
    }

    /// Cosine of two products' vectors; nil when either has none.
    public func cosine(_ a: ProductID, _ b: ProductID) -> Float? {
        guard let x = vector(of: a), let y = vector(of: b) else { return nil }
        return zip(x, y).reduce(0) { $0 + $1.0 * $1.1 }
    }

    /// Each product's `limit` nearest other products by cosine, best first (ties by ordinal),
    /// from blocks of `cblas_sgemm` (block × all products) and a bounded heap per row.
    /// - Complexity: O(n² · dimension) arithmetic, O(block · n) memory.
    public func nearestNeighbours(limit: Int, block: Int = 256) -> [[(ordinal: Int32, score: Float)]] {
        let n = count
        guard n > 0, limit > 0 else { return Array(repeating: [], count: n) }
        var result: [[(ordinal: Int32, score: Float)]] = []
        result.reserveCapacity(n)
        var scores = [Float](repeating: 0, count: block * n)
        for start in stride(from: 0, to: n, by: block) {
            let rows = min(block, n - start)
            vectors.withUnsafeBufferPointer { v in
                scores.withUnsafeMutableBufferPointer { s in
                    cblas_sgemm(
                        CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(n), Int32(dimension), 1,
                        v.baseAddress! + start * dimension, Int32(dimension), v.baseAddress!, Int32(dimension), 0,
                        s.baseAddress!, Int32(n))
                }
            }
            for row in 0..<rows {
                var heap = TopKHeap(capacity: limit)
                let offset = row * n
                for column in 0..<n where column != start + row { heap.push(scores[offset + column], Int32(column)) }
                result.append(heap.sortedDescending().map { (ordinal: $0.ordinal, score: $0.score) })
            }
        }
        return result
    }
}
