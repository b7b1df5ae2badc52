import CBLAS
import Domain
import Foundation

/// Exact nearest-neighbour search over product vectors in one contiguous row-major matrix.
///
/// Scores are inner products (vectors are L2-normalised, so cosine), computed for all rows with
/// one `cblas_sgemv` (or `cblas_sgemm` for a batch of queries); the filter is checked inside the
/// top-K loop, so a filtered search returns `k` results whenever `k` products match.
/// Upserts overwrite a row in place (or reuse a deleted one), deletes tombstone the row: both are
/// visible to the next search.
///
/// Results are memoised per (query, k, filter, exclusions) until the index next changes: a product
/// page asks the same anchor question on every view, and the sgemv over every row was 43% of a
/// cached product-page request's CPU (BENCHMARKS.md, service section). Any upsert or delete drops
/// the memo, so a stock or price change is seen by the very next search.
public final class VectorIndex: @unchecked Sendable {
    public let dimension: Int
    /// Memoised searches kept at most (the memo is dropped whole when full: no LRU bookkeeping on
    /// the hot path; 0 turns memoisation off).
    public let memoCapacity: Int
    private let lock = NSLock()
    private var matrix: [Float] = []
    private var rowIDs: [ProductID?] = []
    private var attributes: [RowAttributes] = []
    private var rowsByID: [ProductID: Int] = [:]
    private var freeRows: [Int] = []
    private var categoryCodes: [String: Int32] = [:]
    private var scratch: [Float] = []
    private var memo: [SearchKey: [(productID: ProductID, score: Float)]] = [:]

    private struct SearchKey: Hashable {
        var query: [Float]
        var k: Int
        var filter: ProductFilter
        var excluding: Set<ProductID>
    }

    public init(dimension: Int, memoCapacity: Int = 4_096) {
        self.dimension = dimension
        self.memoCapacity = memoCapacity
    }

    /// Live products in the index.
    public var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return rowsByID.count
    }

    /// Bytes held per live product (vector + attributes + id bookkeeping), for BENCHMARKS.md.
    public var approximateBytesPerProduct: Int {
        dimension * MemoryLayout<Float>.stride + MemoryLayout<RowAttributes>.stride + 64
    }

    /// Inserts or replaces a product's vector and attributes. - Complexity: O(d).
    public func upsert(_ product: Product, vector: [Float]) {
        precondition(vector.count == dimension, "vector dimension mismatch")
        lock.lock()
        defer { lock.unlock() }
        memo.removeAll(keepingCapacity: true)
        let code = categoryCode(product.category)
        let row: RowAttributes = RowAttributes(categoryCode: code, price: product.price, available: product.isAvailable)
        let index: Int
        if let existing = rowsByID[product.id] {
            index = existing
        } else if let free = freeRows.popLast() {
            index = free
        } else {
            index = rowIDs.count
            rowIDs.append(nil)
            attributes.append(row)
            matrix.append(contentsOf: repeatElement(0, count: dimension))
        }
        rowIDs[index] = product.id
        attributes[index] = row
        rowsByID[product.id] = index
        matrix.withUnsafeMutableBufferPointer { m in
            vector.withUnsafeBufferPointer { v in
                (m.baseAddress! + index * dimension).update(from: v.baseAddress!, count: dimension)
            }
        }
    }

    /// Removes a product; its row is reused by a later insert. - Complexity: O(d).
    public func delete(_ productID: ProductID) {
        lock.lock()
        defer { lock.unlock() }
        guard let index = rowsByID.removeValue(forKey: productID) else { return }
        memo.removeAll(keepingCapacity: true)
        rowIDs[index] = nil
        matrix.withUnsafeMutableBufferPointer { m in
            (m.baseAddress! + index * dimension).update(repeating: 0, count: dimension)
        }
        freeRows.append(index)
    }

    /// The stored vector of a product.
    public func vector(of productID: ProductID) -> [Float]? {
        lock.lock()
        defer { lock.unlock() }
        guard let index = rowsByID[productID] else { return nil }
        return Array(matrix[(index * dimension)..<((index + 1) * dimension)])
    }

    /// The `k` best-scoring products that pass `filter`, best first.
    /// - Complexity: O(n·d) for the scores (one sgemv) + O(n log k) for the heap; O(d) when the
    ///   same search was answered since the index last changed.
    public func search(_ query: [Float], k: Int, filter: ProductFilter = .none, excluding: Set<ProductID> = []) -> [(productID: ProductID, score: Float)] {
        precondition(query.count == dimension, "query dimension mismatch")
        lock.lock()
        defer { lock.unlock() }
        let key = memoCapacity > 0 ? SearchKey(query: query, k: k, filter: filter, excluding: excluding) : nil
        if let key, let known = memo[key] { return known }
        let result = exactSearch(query, k: k, filter: filter, excluding: excluding)
        if let key {
            if memo.count >= memoCapacity { memo.removeAll(keepingCapacity: true) }
            memo[key] = result
        }
        return result
    }

    /// Memoised searches held now (for tests and metrics).
    public var memoisedSearches: Int {
        lock.lock()
        defer { lock.unlock() }
        return memo.count
    }

    /// The search itself; the caller holds the lock.
    private func exactSearch(_ query: [Float], k: Int, filter: ProductFilter, excluding: Set<ProductID>) -> [(productID: ProductID, score: Float)] {
        let rows = rowIDs.count
        guard rows > 0, k > 0 else { return [] }
        if scratch.count < rows { scratch = [Float](repeating: 0, count: rows) }
        let compiled = CompiledFilter(filter, categoryCodes: categoryCodes)
        let excludedRows = Set(excluding.compactMap { rowsByID[$0] })
        var heap = TopKHeap(capacity: k)
        matrix.withUnsafeBufferPointer { m in
            query.withUnsafeBufferPointer { q in
                scratch.withUnsafeMutableBufferPointer { s in
                    cblas_sgemv(
                        CblasRowMajor, CblasNoTrans, Int32(rows), Int32(dimension),
                        1, m.baseAddress, Int32(dimension), q.baseAddress, 1, 0, s.baseAddress, 1)
                }
            }
        }
        scratch.withUnsafeBufferPointer { s in
            attributes.withUnsafeBufferPointer { a in
                let trivial = compiled.isTrivial
                for row in 0..<rows where s[row] > heap.minimum || !heap.isFull {
                    guard rowIDs[row] != nil else { continue }
                    if !trivial, !compiled.matches(a[row]) { continue }
                    if !excludedRows.isEmpty, excludedRows.contains(row) { continue }
                    heap.push(s[row], Int32(row))
                }
            }
        }
        return heap.sortedDescending().map { (productID: rowIDs[Int($0.ordinal)]!, score: $0.score) }
    }

    private func categoryCode(_ category: String) -> Int32 {
        if let code = categoryCodes[category] { return code }
        let code = Int32(categoryCodes.count)
        categoryCodes[category] = code
        return code
    }
}
