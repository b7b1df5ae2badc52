import Domain
import Foundation

/// Approximate nearest-neighbour search (HNSW, Malkov & Yashunin 2016) over L2-normalised product
/// vectors, with inner-product similarity.
///
/// Vectors live in one contiguous matrix; level-0 links in one flat `[Int32]` (2·M slots a node),
/// upper levels (about 1/M of the nodes) in small arrays. Inserts link a node at once, so an
/// upserted product is searchable by the next query; an update re-inserts the product and
/// tombstones its old node; a delete tombstones. Tombstoned nodes still route searches but are never
/// returned. Filters are checked while collecting results; when fewer than `k` pass, `ef` doubles
/// and the search repeats, and past `ef ≥ count` it falls back to an exact scan — so a filtered
/// search never returns fewer than `k` while `k` products match.
public final class HNSWIndex: @unchecked Sendable, NearestNeighbourSearch {
    public struct Configuration: Sendable, Hashable {
        /// Links per node on upper levels (2·M on level 0).
        public var m: Int
        /// Candidate list size while inserting (higher: better graph, slower build).
        public var efConstruction: Int
        /// Candidate list size while searching (at least k); raise for recall.
        public var efSearch: Int
        public var seed: UInt64

        public init(m: Int = 16, efConstruction: Int = 200, efSearch: Int = 64, seed: UInt64 = 42) {
            self.m = m
            self.efConstruction = efConstruction
            self.efSearch = efSearch
            self.seed = seed
        }
    }

    public let dimension: Int
    public let configuration: Configuration
    private let lock = NSLock()
    private let maxLevel0: Int
    private let levelMultiplier: Double
    private var rng: UInt64

    private var matrix: [Float] = []
    private var level0: [Int32] = []
    private var level0Count: [UInt8] = []
    private var upper: [Int32: [[Int32]]] = [:]
    private var levels: [UInt8] = []
    private var deleted: [Bool] = []
    private var nodeIDs: [ProductID] = []
    private var attributes: [RowAttributes] = []
    private var nodesByID: [ProductID: Int32] = [:]
    private var attributeCodes = AttributeCodes()
    private var entryPoint: Int32 = -1
    private var topLevel = 0
    private var visited: [UInt32] = []
    private var visitGeneration: UInt32 = 0

    public init(dimension: Int, configuration: Configuration = Configuration()) {
        self.dimension = dimension
        self.configuration = configuration
        maxLevel0 = 2 * configuration.m
        levelMultiplier = 1 / log(Double(max(2, configuration.m)))
        rng = configuration.seed | 1
    }

    /// Live (not deleted) products.
    public var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return nodesByID.count
    }

    /// Bytes per node: vector, level-0 links, bookkeeping (upper levels average 1/M of a node's links).
    public var approximateBytesPerNode: Int {
        dimension * 4 + maxLevel0 * 4 + 1 + 1 + 1 + MemoryLayout<RowAttributes>.stride + 2 * configuration.m * 4 / configuration.m + 48
    }

    /// Inserts a product, or replaces it (re-linking when its vector changed). - Complexity: O(ef · M · log n · d).
    public func upsert(_ product: Product, vector: [Float]) {
        precondition(vector.count == dimension, "vector dimension mismatch")
        lock.lock()
        defer { lock.unlock() }
        let row = attributeCodes.row(for: product)
        if let existing = nodesByID[product.id] {
            let start = Int(existing) * dimension
            if Array(matrix[start..<(start + dimension)]) == vector {
                attributes[Int(existing)] = row
                return
            }
            deleted[Int(existing)] = true
        }
        let node = insertLocked(vector)
        nodeIDs.append(product.id)
        attributes.append(row)
        nodesByID[product.id] = node
    }

    /// Removes a product from results at once. - Complexity: O(1).
    public func delete(_ productID: ProductID) {
        lock.lock()
        defer { lock.unlock() }
        guard let node = nodesByID.removeValue(forKey: productID) else { return }
        deleted[Int(node)] = true
    }

    public func vector(of productID: ProductID) -> [Float]? {
        lock.lock()
        defer { lock.unlock() }
        guard let node = nodesByID[productID] else { return nil }
        let start = Int(node) * dimension
        return Array(matrix[start..<(start + dimension)])
    }

    /// The `k` most similar live products passing `filter`, best first.
    public func search(_ query: [Float], k: Int, filter: ProductFilter = .none, excluding: Set<ProductID> = []) -> [(productID: ProductID, score: Float)] {
        search(query, k: k, ef: configuration.efSearch, filter: filter, excluding: excluding)
    }

    /// As `search(_:k:filter:excluding:)` with an explicit `ef` (benchmarks sweep it).
    public func search(_ query: [Float], k: Int, ef: Int, filter: ProductFilter = .none, excluding: Set<ProductID> = []) -> [(productID: ProductID, score: Float)] {
        precondition(query.count == dimension, "query dimension mismatch")
        lock.lock()
        defer { lock.unlock() }
        guard entryPoint >= 0, k > 0 else { return [] }
        let compiled = attributeCodes.compile(filter)
        let excludedNodes = Set(excluding.compactMap { nodesByID[$0] })
        var width = max(ef, k)
        let total = levels.count
        while true {
            var heap = TopKHeap(capacity: k)
            var candidates = greedySearch(query, ef: width)
            while let (score, node) = candidates.popMinimum() {
                if isResult(node, compiled, excludedNodes) { heap.push(score, node) }
            }
            if heap.count >= k { return results(heap) }
            if width >= total { break }
            width *= 2
        }
        // Widening reached the whole graph without k matches: an exact scan is the truth.
        var heap = TopKHeap(capacity: k)
        query.withUnsafeBufferPointer { q in
            matrix.withUnsafeBufferPointer { m in
                for node in 0..<total where isResult(Int32(node), compiled, excludedNodes) {
                    heap.push(Self.dot(q.baseAddress!, m.baseAddress! + node * dimension, dimension), Int32(node))
                }
            }
        }
        return results(heap)
    }

    // MARK: - Internals (lock held)

    private func results(_ heap: TopKHeap) -> [(productID: ProductID, score: Float)] {
        heap.sortedDescending().map { (productID: nodeIDs[Int($0.ordinal)], score: $0.score) }
    }

    @inline(__always)
    private func isResult(_ node: Int32, _ filter: CompiledFilter, _ excluded: Set<Int32>) -> Bool {
        !deleted[Int(node)] && filter.matches(attributes[Int(node)]) && (excluded.isEmpty || !excluded.contains(node))
    }

    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
        var s0: Float = 0, s1: Float = 0, s2: Float = 0, s3: Float = 0
        var i = 0
        while i + 4 <= n {
            s0 += a[i] * b[i]
            s1 += a[i + 1] * b[i + 1]
            s2 += a[i + 2] * b[i + 2]
            s3 += a[i + 3] * b[i + 3]
            i += 4
        }
        while i < n {
            s0 += a[i] * b[i]
            i += 1
        }
        return (s0 + s1) + (s2 + s3)
    }

    private func similarity(_ query: UnsafePointer<Float>, _ node: Int32) -> Float {
        matrix.withUnsafeBufferPointer { Self.dot(query, $0.baseAddress! + Int(node) * dimension, dimension) }
    }

    private func similarity(_ a: Int32, _ b: Int32) -> Float {
        matrix.withUnsafeBufferPointer {
            Self.dot($0.baseAddress! + Int(a) * dimension, $0.baseAddress! + Int(b) * dimension, dimension)
        }
    }

    private func neighbours(of node: Int32, level: Int) -> ArraySlice<Int32> {
        if level == 0 {
            let start = Int(node) * maxLevel0
            return level0[start..<(start + Int(level0Count[Int(node)]))]
        }
        return upper[node]?[level - 1][...] ?? []
    }

    private func setNeighbours(_ list: [Int32], of node: Int32, level: Int) {
        if level == 0 {
            let start = Int(node) * maxLevel0
            for (i, n) in list.prefix(maxLevel0).enumerated() { level0[start + i] = n }
            level0Count[Int(node)] = UInt8(min(list.count, maxLevel0))
        } else {
            upper[node]![level - 1] = list
        }
    }

    private func randomLevel() -> Int {
        rng ^= rng << 13
        rng ^= rng >> 7
        rng ^= rng << 17
        let u = Double(rng >> 11) / Double(1 << 53)
        return min(15, Int(-log(max(u, 1e-12)) * levelMultiplier))
    }

    private func nextGeneration() -> UInt32 {
        if visited.count < levels.count { visited.append(contentsOf: repeatElement(0, count: levels.count - visited.count)) }
        visitGeneration &+= 1
        if visitGeneration == 0 {
            for i in visited.indices { visited[i] = 0 }
            visitGeneration = 1
        }
        return visitGeneration
    }

    /// Greedy descent from the entry point to level 1, then a beam search of width `ef` on level 0.
    private func greedySearch(_ query: [Float], ef: Int) -> TopKHeap {
        query.withUnsafeBufferPointer { q in
            var current = entryPoint
            var best = similarity(q.baseAddress!, current)
            if topLevel > 0 {
                for level in stride(from: topLevel, through: 1, by: -1) {
                    var changed = true
                    while changed {
                        changed = false
                        for n in neighbours(of: current, level: level) {
                            let s = similarity(q.baseAddress!, n)
                            if s > best {
                                best = s
                                current = n
                                changed = true
                            }
                        }
                    }
                }
            }
            return searchLayer(q.baseAddress!, entry: current, entrySimilarity: best, ef: ef, level: 0)
        }
    }

    /// Beam search on one level: returns up to `ef` best nodes (deleted ones included, for routing).
    private func searchLayer(_ query: UnsafePointer<Float>, entry: Int32, entrySimilarity: Float, ef: Int, level: Int) -> TopKHeap {
        let generation = nextGeneration()
        var results = TopKHeap(capacity: ef)
        var frontier = MaxHeap()
        visited[Int(entry)] = generation
        results.push(entrySimilarity, entry)
        frontier.push(entrySimilarity, entry)
        while let (score, node) = frontier.pop() {
            if results.isFull, score < results.minimum { break }
            for n in neighbours(of: node, level: level) where visited[Int(n)] != generation {
                visited[Int(n)] = generation
                let s = similarity(query, n)
                if !results.isFull || s > results.minimum {
                    results.push(s, n)
                    frontier.push(s, n)
                }
            }
        }
        return results
    }

    /// The neighbour-selection heuristic: keep a candidate only if it is closer to the new node than
    /// to every neighbour already kept (spreads links across directions; better recall than top-M).
    private func selectNeighbours(_ candidates: [(score: Float, ordinal: Int32)], limit: Int) -> [Int32] {
        var kept: [Int32] = []
        for candidate in candidates {
            if kept.count >= limit { break }
            var good = true
            for existing in kept where similarity(candidate.ordinal, existing) > candidate.score {
                good = false
                break
            }
            if good { kept.append(candidate.ordinal) }
        }
        if kept.count < limit {
            for candidate in candidates where kept.count < limit && !kept.contains(candidate.ordinal) {
                kept.append(candidate.ordinal)
            }
        }
        return kept
    }

    private func insertLocked(_ vector: [Float]) -> Int32 {
        let node = Int32(levels.count)
        let level = randomLevel()
        matrix.append(contentsOf: vector)
        level0.append(contentsOf: repeatElement(-1, count: maxLevel0))
        level0Count.append(0)
        levels.append(UInt8(level))
        deleted.append(false)
        if level > 0 { upper[node] = Array(repeating: [], count: level) }
        guard entryPoint >= 0 else {
            entryPoint = node
            topLevel = level
            return node
        }
        vector.withUnsafeBufferPointer { q in
            let query = q.baseAddress!
            var current = entryPoint
            var best = similarity(query, current)
            if topLevel > level {
                for l in stride(from: topLevel, to: level, by: -1) {
                    var changed = true
                    while changed {
                        changed = false
                        for n in neighbours(of: current, level: l) {
                            let s = similarity(query, n)
                            if s > best {
                                best = s
                                current = n
                                changed = true
                            }
                        }
                    }
                }
            }
            for l in stride(from: min(level, topLevel), through: 0, by: -1) {
                let found = searchLayer(query, entry: current, entrySimilarity: best, ef: configuration.efConstruction, level: l)
                let sorted = found.sortedDescending()
                let limit = l == 0 ? maxLevel0 : configuration.m
                let chosen = selectNeighbours(sorted, limit: configuration.m)
                setNeighbours(chosen, of: node, level: l)
                for neighbour in chosen {
                    var list = Array(neighbours(of: neighbour, level: l))
                    if list.count < limit {
                        list.append(node)
                        setNeighbours(list, of: neighbour, level: l)
                    } else {
                        list.append(node)
                        let scored = list.map { (score: similarity(neighbour, $0), ordinal: $0) }.sorted { $0.score > $1.score }
                        setNeighbours(selectNeighbours(scored, limit: limit), of: neighbour, level: l)
                    }
                }
                if let first = sorted.first {
                    current = first.ordinal
                    best = first.score
                }
            }
        }
        if level > topLevel {
            topLevel = level
            entryPoint = node
        }
        return node
    }

}

/// A max-heap of (similarity, node) for the HNSW search frontier.
struct MaxHeap {
    private var scores: [Float] = []
    private var nodes: [Int32] = []

    mutating func push(_ score: Float, _ node: Int32) {
        scores.append(score)
        nodes.append(node)
        var child = scores.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard scores[child] > scores[parent] else { break }
            scores.swapAt(child, parent)
            nodes.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> (Float, Int32)? {
        guard !scores.isEmpty else { return nil }
        let top = (scores[0], nodes[0])
        let last = scores.count - 1
        scores.swapAt(0, last)
        nodes.swapAt(0, last)
        scores.removeLast()
        nodes.removeLast()
        var parent = 0
        let n = scores.count
        while true {
            let left = 2 * parent + 1
            if left >= n { break }
            var largest = left
            if left + 1 < n, scores[left + 1] > scores[left] { largest = left + 1 }
            guard scores[largest] > scores[parent] else { break }
            scores.swapAt(largest, parent)
            nodes.swapAt(largest, parent)
            parent = largest
        }
        return top
    }
}
