import CVectorKernels
import Domain
import Foundation

/// Approximate nearest-neighbour search (HNSW, Malkov & Yashunin 2016) over L2-normalised product
/// vectors, with inner-product similarity.
///
/// The graph lives in C (`hr_hnsw_*` in CVectorKernels), laid out and searched as hnswlib does:
/// each node's level-0 neighbour list and vector in one block, the neighbour-selection heuristic,
/// visited sets tagged by epoch and heaps kept per thread, distance kernels chosen for the CPU at
/// start. This type keeps product ids, filter attributes and tombstones.
///
/// Writes never rebuild: an insert links one node; an update that changes the vector links a new
/// node and tombstones the old one; a delete tombstones. Tombstoned nodes still route searches but
/// are never returned; once they exceed `Configuration.repairFraction` of the graph, `repair`
/// re-links their live neighbours around them and their slots are reused by later inserts.
/// Searches share a read lock, writes take it alone (no search waits behind another search).
///
/// Filters are checked while collecting results; when fewer than `k` pass, `ef` doubles and the
/// search repeats, and past `ef ≥ count` it falls back to an exact scan — so a filtered search
/// never returns fewer than `k` while `k` products match.
public final class HNSWIndex: @unchecked Sendable, NearestNeighbourSearch {
    public struct Configuration: Sendable, Hashable {
        /// Links per node on upper levels (2·M on level 0).
        public var m: Int
        /// Candidate list size while inserting (higher: better graph, slower build).
        public var efConstruction: Int
        /// Candidate list size while searching (at least k); raise for recall.
        public var efSearch: Int
        public var seed: UInt64
        /// Tombstones, as a fraction of the graph's nodes, that trigger a repair on the next write
        /// (a tombstone costs a slot and a detour for searches until then).
        public var repairFraction: Double

        public init(m: Int = 16, efConstruction: Int = 200, efSearch: Int = 64, seed: UInt64 = 42, repairFraction: Double = 0.1) {
            self.m = m
            self.efConstruction = efConstruction
            self.efSearch = efSearch
            self.seed = seed
            self.repairFraction = repairFraction
        }
    }

    public let dimension: Int
    public let configuration: Configuration
    private let lock = ReadWriteLock()
    private let graph: OpaquePointer
    private let levelMultiplier: Double
    private var rng: UInt64

    /// Per node: the product it holds ("" for a slot freed by repair) and its filter attributes.
    private var nodeIDs: [ProductID] = []
    private var attributes: [RowAttributes] = []
    private var nodesByID = NodeIDTable()
    private var attributeCodes = AttributeCodes()
    /// Tombstoned nodes not yet repaired, and slots repair freed (reused before new ones).
    private var tombstoned: [Int32] = []
    private var freeNodes: [Int32] = []

    public init(dimension: Int, configuration: Configuration = Configuration()) {
        self.dimension = dimension
        self.configuration = configuration
        guard let graph = hr_hnsw_create(dimension, configuration.m, configuration.efConstruction) else {
            preconditionFailure("HNSW: M must be 2…127 and the dimension positive")
        }
        self.graph = graph
        levelMultiplier = 1 / log(Double(max(2, configuration.m)))
        rng = Self.levelGeneratorState(seed: configuration.seed)
    }

    private init(dimension: Int, configuration: Configuration, graph: OpaquePointer) {
        self.dimension = dimension
        self.configuration = configuration
        self.graph = graph
        levelMultiplier = 1 / log(Double(max(2, configuration.m)))
        rng = Self.levelGeneratorState(seed: configuration.seed)
    }

    deinit { hr_hnsw_destroy(graph) }

    /// Live (not deleted) products.
    public var count: Int { lock.withReadLock { nodesByID.count } }

    /// Bytes per node: the graph's block (vector, level-0 links, header with the lock byte),
    /// upper lists averaged, id, attributes, the id table's share, the visited tag.
    public var approximateBytesPerNode: Int {
        lock.withReadLock {
            hr_hnsw_bytes(graph) + MemoryLayout<ProductID>.stride + MemoryLayout<RowAttributes>.stride
                + nodesByID.bytes / max(1, nodeIDs.count) + 2
        }
    }

    /// Tombstoned nodes still in the graph (repair unlinks them).
    public var tombstoneCount: Int { lock.withReadLock { tombstoned.count } }

    /// Inserts a product, or replaces it (re-linking when its vector changed).
    /// - Complexity: O(efConstruction · M · log n · d).
    public func upsert(_ product: Product, vector: [Float]) {
        precondition(vector.count == dimension, "vector dimension mismatch")
        lock.withWriteLock {
            let row = attributeCodes.row(for: product)
            if let existing = nodesByID.find(product.id, ids: nodeIDs) {
                let same = vector.withUnsafeBufferPointer { v in
                    memcmp(hr_hnsw_vector(graph, existing), v.baseAddress!, dimension * MemoryLayout<Float>.stride) == 0
                }
                if same {
                    attributes[Int(existing)] = row
                    return
                }
                tombstoneLocked(existing)
            }
            let node = allocateNodeLocked(product.id, row)
            vector.withUnsafeBufferPointer { v in
                precondition(hr_hnsw_prepare(graph, node, v.baseAddress!, Int32(randomLevel())) == 0, "HNSW: out of memory")
            }
            hr_hnsw_link(graph, node)
            repairIfDueLocked()
        }
    }

    /// Inserts many products at once, linking them on `threads` threads (hnswlib's parallel
    /// add: per-node locks). Products already present go through `upsert`. Holds the write lock
    /// for the whole batch: meant for building an index that is not serving yet
    /// (`ServingVectorIndex.replaceInBackground`), not for the request path.
    /// - Complexity: O(n · efConstruction · M · log n · d / threads).
    public func insert(_ products: [(product: Product, vector: [Float])], threads: Int = ProcessInfo.processInfo.activeProcessorCount) {
        // Positions, not copies: a batch of a million products is built without a second one.
        var later: [Int] = []
        lock.withWriteLock {
            reserveLocked(nodeIDs.count + products.count)
            // Exact capacities: doubling would leave up to half of each array unused.
            nodeIDs.reserveCapacity(nodeIDs.count + products.count)
            attributes.reserveCapacity(attributes.count + products.count)
            nodesByID.reserveCapacity(nodesByID.count + products.count, ids: nodeIDs)
            // Slots below the count held nodes before (freed by repair): prepared here, one by
            // one. Fresh slots are only numbered here and prepared by the workers below.
            let preparedBefore = Int32(hr_hnsw_node_count(graph))
            var nodes: [Int32] = []
            nodes.reserveCapacity(products.count)
            var fresh: [(node: Int32, level: Int32, position: Int)] = []
            fresh.reserveCapacity(products.count)
            for (position, item) in products.enumerated() {
                // Present already, or twice in this batch: applied one by one afterwards.
                guard nodesByID.find(item.product.id, ids: nodeIDs) == nil else {
                    later.append(position)
                    continue
                }
                precondition(item.vector.count == dimension, "vector dimension mismatch")
                let node = allocateNodeLocked(item.product.id, attributeCodes.row(for: item.product))
                let level = Int32(randomLevel())
                if node < preparedBefore {
                    item.vector.withUnsafeBufferPointer { v in
                        precondition(hr_hnsw_prepare(graph, node, v.baseAddress!, level) == 0, "HNSW: out of memory")
                    }
                } else {
                    fresh.append((node, level, position))
                }
                nodes.append(node)
            }
            guard let first = nodes.first else { return }
            let workers = max(1, min(threads, nodes.count))
            let shared = SendableGraph(pointer: graph)
            let freshNodes = fresh
            // Copying a million vectors into their blocks (and the page faults of fresh memory)
            // would otherwise run on one core while the others wait for the links.
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                let range = freshNodes.count * worker / workers..<freshNodes.count * (worker + 1) / workers
                for (node, level, position) in freshNodes[range] {
                    products[position].vector.withUnsafeBufferPointer { v in
                        precondition(hr_hnsw_prepare_fresh(shared.pointer, node, v.baseAddress!, level) == 0, "HNSW: out of memory")
                    }
                }
            }
            hr_hnsw_link(graph, first)
            nodes.withUnsafeBufferPointer { buffer in
                let batch = SendableNodes(buffer: UnsafeBufferPointer(rebasing: buffer.dropFirst()))
                var next = 0
                withUnsafeMutablePointer(to: &next) { counter in
                    let claims = SendableCounter(pointer: counter)
                    DispatchQueue.concurrentPerform(iterations: workers) { _ in
                        hr_hnsw_link_claimed(shared.pointer, batch.buffer.baseAddress, batch.buffer.count, claims.pointer)
                    }
                }
            }
        }
        for position in later { upsert(products[position].product, vector: products[position].vector) }
    }

    /// Removes a product from results at once. - Complexity: O(1) (a repair when due).
    public func delete(_ productID: ProductID) {
        lock.withWriteLock {
            guard let node = nodesByID.find(productID, ids: nodeIDs) else { return }
            tombstoneLocked(node)
            repairIfDueLocked()
        }
    }

    /// Unlinks every tombstoned node now (writes also do it once tombstones pass
    /// `repairFraction`). Returns how many were unlinked.
    @discardableResult
    public func repair() -> Int { lock.withWriteLock { repairLocked() } }

    public func vector(of productID: ProductID) -> [Float]? {
        lock.withReadLock {
            guard let node = nodesByID.find(productID, ids: nodeIDs) else { return nil }
            return Array(UnsafeBufferPointer(start: hr_hnsw_vector(graph, node), count: dimension))
        }
    }

    /// The `k` most similar live products passing `filter`, best first.
    public func search(_ query: [Float], k: Int, filter: ProductFilter = .none, excluding: Set<ProductID> = []) -> [(productID: ProductID, score: Float)] {
        search(query, k: k, ef: configuration.efSearch, filter: filter, excluding: excluding)
    }

    /// As `search(_:k:filter:excluding:)` with an explicit `ef` (benchmarks sweep it).
    public func search(_ query: [Float], k: Int, ef: Int, filter: ProductFilter = .none, excluding: Set<ProductID> = []) -> [(productID: ProductID, score: Float)] {
        precondition(query.count == dimension, "query dimension mismatch")
        return lock.withReadLock {
            guard nodesByID.count > 0, k > 0 else { return [] }
            let compiled = attributeCodes.compile(filter)
            let trivial = compiled.isTrivial
            let excludedNodes = excluding.isEmpty ? [] : Set(excluding.compactMap { nodesByID.find($0, ids: nodeIDs) })
            var width = max(ef, k)
            let total = nodeIDs.count
            return query.withUnsafeBufferPointer { q in
                while true {
                    var heap = TopKHeap(capacity: k)
                    withUnsafeTemporaryAllocation(of: Int32.self, capacity: width) { nodes in
                        withUnsafeTemporaryAllocation(of: Float.self, capacity: width) { scores in
                            let found = hr_hnsw_search(graph, q.baseAddress!, width, nodes.baseAddress!, scores.baseAddress!)
                            for i in 0..<found where isResult(nodes[i], compiled, trivial, excludedNodes) {
                                heap.push(scores[i], nodes[i])
                                if heap.isFull, trivial, excludedNodes.isEmpty { break }
                            }
                        }
                    }
                    if heap.count >= k { return results(heap) }
                    if width >= total { break }
                    width *= 2
                }
                // Widening reached the whole graph without k matches: an exact scan is the truth.
                var heap = TopKHeap(capacity: k)
                for node in 0..<Int32(total) where isResult(node, compiled, trivial, excludedNodes) {
                    heap.push(hr_dot_f32(q.baseAddress!, hr_hnsw_vector(graph, node), dimension), node)
                }
                return results(heap)
            }
        }
    }

    // MARK: - Snapshots

    /// Writes the index (graph, ids, attributes) with `metadata` to `url`, atomically. Searches may
    /// run meanwhile; writes wait.
    public func save(to url: URL, metadata: IndexSnapshotMetadata) throws {
        try lock.withReadLock {
            try SnapshotFile.write(to: url) { file in
                try file.writeHeader(kind: .hnsw, dimension: dimension, metadata: metadata, codes: attributeCodes)
                try file.write(UInt32(configuration.m))
                try file.write(UInt32(configuration.efConstruction))
                try file.write(UInt32(configuration.efSearch))
                try file.write(configuration.seed)
                try file.write(configuration.repairFraction)
                try file.write(rng)
                try file.write(UInt64(nodeIDs.count))
                for id in nodeIDs { try file.write(id) }
                try file.write(array: attributes)
                try file.write(array: tombstoned)
                try file.write(array: freeNodes)
                guard hr_hnsw_write(graph, file.file) == 0 else { throw file.failure() }
            }
        }
    }

    /// Loads an index `save` wrote, with its metadata.
    public static func load(from url: URL) throws -> (index: HNSWIndex, metadata: IndexSnapshotMetadata) {
        try SnapshotFile.read(from: url) { file in
            let (dimension, metadata, codes) = try file.readHeader(kind: .hnsw)
            let m = Int(try file.read(UInt32.self)), efConstruction = Int(try file.read(UInt32.self))
            let efSearch = Int(try file.read(UInt32.self))
            let seed = try file.read(UInt64.self), repairFraction = try file.read(Double.self)
            let rng = try file.read(UInt64.self)
            let count = Int(try file.read(UInt64.self))
            var ids: [ProductID] = []
            ids.reserveCapacity(count)
            for _ in 0..<count { ids.append(try file.readString()) }
            let attributes = try file.readArray(of: RowAttributes.self)
            let tombstoned = try file.readArray(of: Int32.self), freeNodes = try file.readArray(of: Int32.self)
            guard attributes.count == count, let graph = hr_hnsw_read(file.file) else { throw file.failure(.format) }
            guard hr_hnsw_node_count(graph) == count else {
                hr_hnsw_destroy(graph)
                throw file.failure(.format)
            }
            let configuration = Configuration(m: m, efConstruction: efConstruction, efSearch: efSearch, seed: seed, repairFraction: repairFraction)
            let index = HNSWIndex(dimension: dimension, configuration: configuration, graph: graph)
            index.rng = rng
            index.nodeIDs = ids
            index.attributes = attributes
            index.attributeCodes = codes
            index.tombstoned = tombstoned
            index.freeNodes = freeNodes
            index.nodesByID.reserveCapacity(count, ids: ids)
            for (node, id) in ids.enumerated() where !id.isEmpty && hr_hnsw_is_deleted(graph, Int32(node)) == 0 {
                index.nodesByID.insert(Int32(node), ids: ids)
            }
            return (index, metadata)
        }
    }

    // MARK: - Internals (write lock held unless said)

    /// A slot for a new node: one repair freed, or the next one.
    private func allocateNodeLocked(_ id: ProductID, _ row: RowAttributes) -> Int32 {
        let node: Int32
        if let free = freeNodes.popLast() {
            node = free
            nodeIDs[Int(node)] = id
            attributes[Int(node)] = row
        } else {
            node = Int32(nodeIDs.count)
            reserveLocked(nodeIDs.count + 1)
            nodeIDs.append(id)
            attributes.append(row)
        }
        nodesByID.insert(node, ids: nodeIDs)
        return node
    }

    /// Grows the graph's capacity by doubling (untouched capacity costs no resident memory).
    private func reserveLocked(_ needed: Int) {
        let capacity = hr_hnsw_capacity(graph)
        guard needed > capacity else { return }
        precondition(hr_hnsw_reserve(graph, max(needed, capacity * 2, 1_024)) == 0, "HNSW: out of memory")
    }

    private func tombstoneLocked(_ node: Int32) {
        nodesByID.remove(nodeIDs[Int(node)], ids: nodeIDs)
        hr_hnsw_set_deleted(graph, node, 1)
        tombstoned.append(node)
    }

    private func repairIfDueLocked() {
        guard tombstoned.count >= max(16, Int(configuration.repairFraction * Double(nodeIDs.count))) else { return }
        repairLocked()
    }

    private func repairLocked() -> Int {
        guard !tombstoned.isEmpty else { return 0 }
        let unlinked = hr_hnsw_repair(graph)
        for node in tombstoned { nodeIDs[Int(node)] = "" }
        freeNodes.append(contentsOf: tombstoned)
        tombstoned.removeAll()
        return unlinked
    }

    /// Read lock held.
    private func results(_ heap: TopKHeap) -> [(productID: ProductID, score: Float)] {
        heap.sortedDescending().map { (productID: nodeIDs[Int($0.ordinal)], score: $0.score) }
    }

    /// Read lock held.
    @inline(__always)
    private func isResult(_ node: Int32, _ filter: CompiledFilter, _ trivial: Bool, _ excluded: Set<Int32>) -> Bool {
        hr_hnsw_is_deleted(graph, node) == 0 && (trivial || filter.matches(attributes[Int(node)])) && (excluded.isEmpty || !excluded.contains(node))
    }

    /// The level generator's first state: the seed through SplitMix64's finaliser. (`seed | 1`, as
    /// before, gave seeds 2 and 3 one stream, and a state with few bits set makes xorshift's first
    /// draws tiny: seed 42's first node drew level 7 where a 200k graph's top is about 4.)
    static func levelGeneratorState(seed: UInt64) -> UInt64 {
        var z = seed &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return z == 0 ? 0x9E37_79B9_7F4A_7C15 : z
    }

    private func randomLevel() -> Int {
        rng ^= rng << 13
        rng ^= rng >> 7
        rng ^= rng << 17
        let u = Double(rng >> 11) / Double(1 << 53)
        return min(15, Int(-log(max(u, 1e-12)) * levelMultiplier))
    }
}

/// The graph handed to the parallel build's workers (the C side locks per node).
private struct SendableGraph: @unchecked Sendable {
    let pointer: OpaquePointer
}

/// The claim counter the parallel build's workers share (the C side updates it atomically).
private struct SendableCounter: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Int>
}

/// The nodes the parallel build's workers link (read only).
private struct SendableNodes: @unchecked Sendable {
    let buffer: UnsafeBufferPointer<Int32>
}
