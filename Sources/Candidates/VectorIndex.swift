import CBLAS
import CVectorKernels
import Domain
import Foundation

/// Exact nearest-neighbour search over product vectors in one contiguous row-major matrix.
///
/// Scores are inner products (vectors are L2-normalised, so cosine), computed for all rows with
/// one `cblas_sgemv` (or `cblas_sgemm` for a batch of queries); the filter is checked inside the
/// top-K loop, so a filtered search returns `k` results whenever `k` products match.
/// Upserts overwrite a row in place (or reuse a deleted one), deletes tombstone the row: both are
/// visible to the next search. Searches share a read-write lock (each with its own pooled score
/// buffers), so concurrent requests scan side by side instead of queueing behind one scan.
///
/// Results are memoised per (query, k, filter, exclusions) until the index next changes: a product
/// page asks the same anchor question on every view, and without the memo every view scans every
/// row again, the largest single cost of a cached product page (docs/benchmarks/service.md). Any
/// upsert or delete drops
/// the memo, so a stock or price change is seen by the very next search.
///
/// From `quantizedScanThreshold` rows on, the scan reads an int8 copy of the matrix instead (a
/// quarter of the bytes: a scan of that many fp32 rows is bound by memory bandwidth, not by the
/// arithmetic, so reading fewer bytes is what makes it faster; docs/benchmarks/vector-search.md)
/// and stays exact: every row's int8 score comes with a bound on its error, rows whose
/// upper bound cannot reach the k-th best lower bound are dropped, and the survivors are re-scored
/// in fp32. The answer is the fp32 top-K; only the work changes.
public final class VectorIndex: @unchecked Sendable {
    public let dimension: Int
    /// Memoised searches kept at most (the memo is dropped whole when full: no LRU bookkeeping on
    /// the hot path; 0 turns memoisation off).
    public let memoCapacity: Int
    /// Rows from which the int8 prefilter replaces the fp32 sgemv (below it the matrix sits in
    /// cache and the sgemv is faster than two passes).
    public let quantizedScanThreshold: Int
    /// Threads one quantised scan is split over (the scan is memory-bound per core).
    public let scanThreads: Int
    /// Searches share it (concurrent scans), writes take it alone.
    private let lock = ReadWriteLock()
    /// Guards `memo` (searches under the shared lock write it) and `scratchPool`.
    private let memoLock = NSLock()
    private var matrix: [Float] = []
    private var rowIDs: [ProductID?] = []
    private var attributes: [RowAttributes] = []
    private var rowsByID: [ProductID: Int] = [:]
    private var freeRows: [Int] = []
    private var attributeCodes = AttributeCodes()
    /// The int8 copy: per row `codes`, `codeScales[r]` (x ≈ scale · code) and `codeL1[r]` (‖x̂‖₁).
    private var codes: [Int8] = []
    private var codeScales: [Float] = []
    private var codeL1: [Float] = []
    /// Score buffers for scans, one per concurrent search, kept between searches.
    private var scratchPool: [ScanScratch] = []
    private var memo: [SearchKey: [(productID: ProductID, score: Float)]] = [:]

    private struct SearchKey: Hashable {
        var query: [Float]
        var k: Int
        var filter: ProductFilter
        var excluding: Set<ProductID>

        /// Hashes eight of the query's components, not all of them: the synthesised hash ran
        /// SipHash over the whole vector (1.5 KB at 384 dimensions) on every product page.
        /// Distinct queries (embeddings) practically never agree in those eight, and equality
        /// still compares every component.
        func hash(into hasher: inout Hasher) {
            hasher.combine(query.count)
            for index in stride(from: 0, to: query.count, by: max(1, query.count / 8)) { hasher.combine(query[index]) }
            hasher.combine(k)
            hasher.combine(filter)
            hasher.combine(excluding)
        }
    }

    public init(
        dimension: Int, memoCapacity: Int = 4_096, quantizedScanThreshold: Int = 20_000,
        scanThreads: Int = min(2, ProcessInfo.processInfo.activeProcessorCount)
    ) {
        self.dimension = dimension
        self.memoCapacity = memoCapacity
        self.quantizedScanThreshold = quantizedScanThreshold
        self.scanThreads = max(1, scanThreads)
    }

    /// Live products in the index.
    public var count: Int { lock.withReadLock { rowsByID.count } }

    /// Bytes held per live product (vector + attributes + id bookkeeping), printed by `bench
    /// candidates` beside the measured RSS growth (docs/benchmarks/vector-search.md).
    public var approximateBytesPerProduct: Int {
        dimension * (MemoryLayout<Float>.stride + 1) + 2 * MemoryLayout<Float>.stride + MemoryLayout<RowAttributes>.stride + 64
    }

    /// Inserts or replaces a product's vector and attributes. - Complexity: O(d).
    public func upsert(_ product: Product, vector: [Float]) {
        precondition(vector.count == dimension, "vector dimension mismatch")
        lock.withWriteLock { upsertLocked(product, vector: vector) }
    }

    private func upsertLocked(_ product: Product, vector: [Float]) {
        clearMemo()
        let row = attributeCodes.row(for: product)
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
            codes.append(contentsOf: repeatElement(0, count: dimension))
            codeScales.append(0)
            codeL1.append(0)
        }
        rowIDs[index] = product.id
        attributes[index] = row
        rowsByID[product.id] = index
        matrix.withUnsafeMutableBufferPointer { m in
            vector.withUnsafeBufferPointer { v in
                (m.baseAddress! + index * dimension).update(from: v.baseAddress!, count: dimension)
            }
        }
        quantize(row: index, vector)
    }

    /// Writes the int8 copy of one row: code = round(x / scale) with scale = max|x| / 127.
    private func quantize(row index: Int, _ vector: [Float]) {
        let maxAbs = vector.reduce(Float(0)) { max($0, abs($1)) }
        let scale = maxAbs > 0 ? maxAbs / 127 : 0
        var l1: Int32 = 0
        codes.withUnsafeMutableBufferPointer { c in
            for d in 0..<dimension {
                let code = scale > 0 ? Int8(max(-127, min(127, (vector[d] / scale).rounded()))) : 0
                c[index * dimension + d] = code
                l1 += Int32(abs(Int32(code)))
            }
        }
        codeScales[index] = scale
        codeL1[index] = scale * Float(l1)
    }

    /// Removes a product; its row is reused by a later insert. - Complexity: O(d).
    public func delete(_ productID: ProductID) {
        lock.withWriteLock { deleteLocked(productID) }
    }

    private func deleteLocked(_ productID: ProductID) {
        guard let index = rowsByID.removeValue(forKey: productID) else { return }
        clearMemo()
        rowIDs[index] = nil
        matrix.withUnsafeMutableBufferPointer { m in
            (m.baseAddress! + index * dimension).update(repeating: 0, count: dimension)
        }
        codeScales[index] = 0
        codeL1[index] = 0
        freeRows.append(index)
    }

    /// The stored vector of a product.
    public func vector(of productID: ProductID) -> [Float]? {
        lock.withReadLock {
            guard let index = rowsByID[productID] else { return nil }
            return Array(matrix[(index * dimension)..<((index + 1) * dimension)])
        }
    }

    /// The `k` best-scoring products that pass `filter`, best first.
    /// - Complexity: O(n·d) for the scores (one sgemv) + O(n log k) for the heap; O(d) when the
    ///   same search was answered since the index last changed.
    public func search(_ query: [Float], k: Int, filter: ProductFilter = .none, excluding: Set<ProductID> = []) -> [(productID: ProductID, score: Float)] {
        precondition(query.count == dimension, "query dimension mismatch")
        return lock.withReadLock {
            let key = memoCapacity > 0 ? SearchKey(query: query, k: k, filter: filter, excluding: excluding) : nil
            if let key, let known = memoLock.withLock({ memo[key] }) { return known }
            let result = exactSearch(query, k: k, filter: filter, excluding: excluding)
            if let key {
                // Stored under the shared lock: no write can land between the scan and this.
                memoLock.withLock {
                    if memo.count >= memoCapacity { memo.removeAll(keepingCapacity: true) }
                    memo[key] = result
                }
            }
            return result
        }
    }

    private func clearMemo() { memoLock.withLock { memo.removeAll(keepingCapacity: true) } }

    /// Memoised searches held now (for tests and metrics).
    public var memoisedSearches: Int { memoLock.withLock { memo.count } }

    // MARK: - Snapshots

    /// Writes the vectors, ids and attributes with `metadata` to `url`, atomically (the int8 copy
    /// is derived again on load). Searches may run meanwhile; writes wait.
    public func save(to url: URL, metadata: IndexSnapshotMetadata) throws {
        try lock.withReadLock {
            try SnapshotFile.write(to: url) { file in
                try file.writeHeader(kind: .exact, dimension: dimension, metadata: metadata, codes: attributeCodes)
                try file.write(UInt64(rowIDs.count))
                for id in rowIDs { try file.write(id ?? "") }
                try file.write(array: attributes)
                try file.write(array: matrix)
            }
        }
    }

    /// Loads an index `save` wrote, with its metadata (memo, threshold and threads as given here).
    public static func load(
        from url: URL, memoCapacity: Int = 4_096, quantizedScanThreshold: Int = 20_000,
        scanThreads: Int = min(2, ProcessInfo.processInfo.activeProcessorCount)
    ) throws -> (index: VectorIndex, metadata: IndexSnapshotMetadata) {
        try SnapshotFile.read(from: url) { file in
            let (dimension, metadata, codes) = try file.readHeader(kind: .exact)
            let count = Int(try file.read(UInt64.self))
            var ids: [ProductID?] = []
            ids.reserveCapacity(count)
            for _ in 0..<count {
                let id = try file.readString()
                ids.append(id.isEmpty ? nil : id)
            }
            let attributes = try file.readArray(of: RowAttributes.self)
            let matrix = try file.readArray(of: Float.self)
            guard attributes.count == count, matrix.count == count * dimension else { throw file.failure(.format) }
            let index = VectorIndex(
                dimension: dimension, memoCapacity: memoCapacity, quantizedScanThreshold: quantizedScanThreshold, scanThreads: scanThreads)
            index.attributeCodes = codes
            index.rowIDs = ids
            index.attributes = attributes
            index.matrix = matrix
            index.codes = [Int8](repeating: 0, count: count * dimension)
            index.codeScales = [Float](repeating: 0, count: count)
            index.codeL1 = [Float](repeating: 0, count: count)
            index.rowsByID.reserveCapacity(count)
            for (row, id) in ids.enumerated() {
                if let id {
                    index.rowsByID[id] = row
                    index.quantize(row: row, Array(matrix[(row * dimension)..<((row + 1) * dimension)]))
                } else {
                    index.freeRows.append(row)
                }
            }
            return (index, metadata)
        }
    }

    /// A scan's buffers: a pooled one, or a new one when every pooled one is in use.
    private func takeScratch() -> ScanScratch {
        memoLock.withLock { scratchPool.popLast() } ?? ScanScratch()
    }

    /// The search itself; the caller holds the lock.
    private func exactSearch(_ query: [Float], k: Int, filter: ProductFilter, excluding: Set<ProductID>) -> [(productID: ProductID, score: Float)] {
        let rows = rowIDs.count
        guard rows > 0, k > 0 else { return [] }
        let compiled = attributeCodes.compile(filter)
        let excludedRows = Set(excluding.compactMap { rowsByID[$0] })
        let buffers = takeScratch()
        defer { memoLock.withLock { scratchPool.append(buffers) } }
        if rows >= quantizedScanThreshold, let result = quantizedSearch(query, k: k, compiled: compiled, excludedRows: excludedRows, buffers: buffers) {
            return result
        }
        if buffers.scores.count < rows { buffers.scores = [Float](repeating: 0, count: rows) }
        var heap = TopKHeap(capacity: k)
        matrix.withUnsafeBufferPointer { m in
            query.withUnsafeBufferPointer { q in
                buffers.scores.withUnsafeMutableBufferPointer { s in
                    cblas_sgemv(
                        CblasRowMajor, CblasNoTrans, Int32(rows), Int32(dimension),
                        1, m.baseAddress, Int32(dimension), q.baseAddress, 1, 0, s.baseAddress, 1)
                }
            }
        }
        buffers.scores.withUnsafeBufferPointer { s in
            attributes.withUnsafeBufferPointer { a in
                let trivial = compiled.isTrivial
                for row in 0..<rows where s[row] > heap.minimum || !heap.isFull {
                    guard isSearchable(row, a, compiled, trivial: trivial, excludedRows: excludedRows) else { continue }
                    heap.push(s[row], Int32(row))
                }
            }
        }
        return heap.sortedDescending().map { (productID: rowIDs[Int($0.ordinal)]!, score: $0.score) }
    }

    /// The exact top-K through the int8 copy (see the type's comment); `nil` for a zero query.
    ///
    /// With the query rounded to int16 (q̂ = qScale · q16) and each row to int8 (x̂ = scale · code),
    /// |q·x − q̂·x̂| ≤ ‖q‖₁ · scale/2 + qScale/2 · ‖x̂‖₁; a small slack covers fp32 rounding in both
    /// the estimate and the re-scoring. The caller holds the lock.
    private func quantizedSearch(
        _ query: [Float], k: Int, compiled: CompiledFilter, excludedRows: Set<Int>, buffers: ScanScratch
    ) -> [(productID: ProductID, score: Float)]? {
        let rows = rowIDs.count
        var maxAbs: Float = 0, l1: Float = 0
        for x in query {
            maxAbs = max(maxAbs, abs(x))
            l1 += abs(x)
        }
        guard maxAbs > 0, maxAbs.isFinite else { return nil }
        // Keep Σ 127 · |q16| · dim below 2^31 (the kernel accumulates in int32).
        let qLimit = Float(min(32_767, Int(Int32.max) / (127 * dimension)))
        let qScale = maxAbs / qLimit
        let q16 = query.map { Int16(max(-qLimit, min(qLimit, ($0 / qScale).rounded()))) }
        if buffers.dots.count < rows { buffers.dots = [Int32](repeating: 0, count: rows) }
        if buffers.scores.count < rows { buffers.scores = [Float](repeating: 0, count: rows) }
        let dimension = dimension
        let threads = rows >= 2 * quantizedScanThreshold ? scanThreads : 1
        codes.withUnsafeBufferPointer { c in
            q16.withUnsafeBufferPointer { q in
                buffers.dots.withUnsafeMutableBufferPointer { out in
                    let codeBase = c.baseAddress!, queryBase = q.baseAddress!
                    let outBase = UnsafeSendable(out.baseAddress!), sendableCodes = UnsafeSendable(codeBase)
                    let sendableQuery = UnsafeSendable(queryBase)
                    let chunk = (rows + threads - 1) / threads
                    DispatchQueue.concurrentPerform(iterations: threads) { part in
                        let start = part * chunk, end = min(rows, start + chunk)
                        guard start < end else { return }
                        hr_int8_dot_rows(
                            sendableCodes.pointer + start * dimension, end - start, dimension, dimension,
                            sendableQuery.pointer, outBase.pointer + start)
                    }
                }
            }
        }
        let slack: Float = 1e-4
        let trivial = compiled.isTrivial
        // Pass 1: each row's upper bound into `buffers.scores`, and the k-th best lower bound among
        // rows that may be returned.
        var lower = TopKHeap(capacity: k)
        buffers.scores.withUnsafeMutableBufferPointer { estimate in
            buffers.dots.withUnsafeBufferPointer { dots in
                codeScales.withUnsafeBufferPointer { scales in
                    codeL1.withUnsafeBufferPointer { rowL1 in
                        attributes.withUnsafeBufferPointer { a in
                            for row in 0..<rows {
                                let score = Float(dots[row]) * qScale * scales[row]
                                let bound = l1 * scales[row] / 2 + qScale / 2 * rowL1[row] + slack
                                estimate[row] = score + bound
                                let floor = score - bound
                                guard floor > lower.minimum || !lower.isFull else { continue }
                                guard isSearchable(row, a, compiled, trivial: trivial, excludedRows: excludedRows) else { continue }
                                lower.push(floor, Int32(row))
                            }
                        }
                    }
                }
            }
        }
        let threshold = lower.isFull ? lower.minimum : -.infinity
        // Pass 2: re-score in fp32 every row whose upper bound reaches the threshold.
        var heap = TopKHeap(capacity: k)
        matrix.withUnsafeBufferPointer { m in
            query.withUnsafeBufferPointer { q in
                buffers.scores.withUnsafeBufferPointer { upper in
                    attributes.withUnsafeBufferPointer { a in
                        for row in 0..<rows where upper[row] >= threshold {
                            guard isSearchable(row, a, compiled, trivial: trivial, excludedRows: excludedRows) else { continue }
                            let exact = cblas_sdot(Int32(dimension), m.baseAddress! + row * dimension, 1, q.baseAddress, 1)
                            heap.push(exact, Int32(row))
                        }
                    }
                }
            }
        }
        return heap.sortedDescending().map { (productID: rowIDs[Int($0.ordinal)]!, score: $0.score) }
    }

    /// Whether a row may be returned: live, passing the filter, not excluded. The caller holds
    /// the lock.
    @inline(__always)
    private func isSearchable(
        _ row: Int, _ attributes: UnsafeBufferPointer<RowAttributes>, _ compiled: CompiledFilter, trivial: Bool, excludedRows: Set<Int>
    ) -> Bool {
        guard rowIDs[row] != nil else { return false }
        if !trivial, !compiled.matches(attributes[row]) { return false }
        return excludedRows.isEmpty || !excludedRows.contains(row)
    }

}

/// One search's score buffers (rows long), reused by later searches.
private final class ScanScratch: @unchecked Sendable {
    var scores: [Float] = []
    var dots: [Int32] = []
}

/// A pointer handed to the scan's worker threads, which write disjoint ranges.
private struct UnsafeSendable<Pointee>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Pointee>
    init(_ pointer: UnsafeMutablePointer<Pointee>) { self.pointer = pointer }
    init(_ pointer: UnsafePointer<Pointee>) { self.pointer = UnsafeMutablePointer(mutating: pointer) }
}
