import Candidates
import CVectorKernels
import Domain
import Foundation
import Testing
import TestSupport

@Suite struct HNSWIndexTests {
    static func recall(_ hnsw: HNSWIndex, _ exact: VectorIndex, queries: [[Float]], k: Int = 10, filter: ProductFilter = .none) -> Double {
        var found = 0, total = 0
        for q in queries {
            let truth = Set(exact.search(q, k: k, filter: filter, excluding: []).map(\.productID))
            found += hnsw.search(q, k: k, filter: filter, excluding: []).filter { truth.contains($0.productID) }.count
            total += truth.count
        }
        return Double(found) / Double(max(1, total))
    }

    static func temporaryURL(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("hnsw-test-\(getpid())-\(name)")
    }

    @Test func everyKernelPathAgreesWithTheScalarReference() {
        let available = hr_kernel_paths_available()
        #expect(available & (1 << UInt32(HR_KERNEL_PORTABLE)) != 0)
        for n in [1, 3, 8, 15, 16, 17, 31, 32, 33, 100, 384, 385] {
            let a = TestFixtures.randomUnitVectors(count: 1, dimension: n, seed: UInt64(n))[0]
            let b = TestFixtures.randomUnitVectors(count: 1, dimension: n, seed: UInt64(n + 1000))[0]
            var reference: Double = 0
            for i in 0..<n { reference += Double(a[i]) * Double(b[i]) }
            for path in [HR_KERNEL_PORTABLE, HR_KERNEL_AVX2, HR_KERNEL_AVX512] where available & (1 << UInt32(path)) != 0 {
                let got = a.withUnsafeBufferPointer { x in b.withUnsafeBufferPointer { y in hr_dot_f32_path(Int32(path), x.baseAddress!, y.baseAddress!, n) } }
                #expect(abs(Double(got) - reference) < 1e-5, "path \(path), n \(n)")
            }
            let dispatched = a.withUnsafeBufferPointer { x in b.withUnsafeBufferPointer { y in hr_dot_f32(x.baseAddress!, y.baseAddress!, n) } }
            #expect(abs(Double(dispatched) - reference) < 1e-5)
        }
    }

    @Test func recallAgainstExactOneByOneAndInParallel() {
        let n = 3_000, d = 32
        let vectors = TestFixtures.randomUnitVectors(count: n, dimension: d, seed: 5)
        let exact = VectorIndex(dimension: d)
        let serial = HNSWIndex(dimension: d, configuration: .init(m: 16, efConstruction: 100, efSearch: 100))
        let parallel = HNSWIndex(dimension: d, configuration: .init(m: 16, efConstruction: 100, efSearch: 100))
        var batch: [(product: Product, vector: [Float])] = []
        for (i, v) in vectors.enumerated() {
            let p = Product(id: "p\(i)", name: "")
            exact.upsert(p, vector: v)
            serial.upsert(p, vector: v)
            batch.append((p, v))
        }
        parallel.insert(batch, threads: 4)
        #expect(parallel.count == n)
        let queries = TestFixtures.randomUnitVectors(count: 60, dimension: d, seed: 17)
        #expect(Self.recall(serial, exact, queries: queries) >= 0.9)
        #expect(Self.recall(parallel, exact, queries: queries) >= 0.9)
        // Products find themselves (an approximate graph built in parallel may leave the odd node
        // poorly reachable, as hnswlib's does).
        let sampled = Array(stride(from: 0, to: n, by: 97))
        let found = sampled.filter { parallel.search(vectors[$0], k: 1).first?.productID == "p\($0)" }.count
        #expect(found >= sampled.count - 2, "\(found) of \(sampled.count)")
    }

    @Test func updatesAndDeletesAreVisibleAndRepairKeepsRecall() {
        let n = 2_000, d = 24
        let vectors = TestFixtures.randomUnitVectors(count: n, dimension: d, seed: 8)
        let moved = TestFixtures.randomUnitVectors(count: n, dimension: d, seed: 9)
        let exact = VectorIndex(dimension: d)
        let hnsw = HNSWIndex(dimension: d, configuration: .init(m: 12, efConstruction: 80, efSearch: 80, repairFraction: 0.05))
        for (i, v) in vectors.enumerated() {
            let p = Product(id: "p\(i)", name: "")
            exact.upsert(p, vector: v)
            hnsw.upsert(p, vector: v)
        }
        // Delete a third, move a third: visible at once, repairs run as tombstones pile up.
        for i in stride(from: 0, to: n, by: 3) {
            hnsw.delete("p\(i)")
            exact.delete("p\(i)")
            #expect(hnsw.vector(of: "p\(i)") == nil)
        }
        for i in stride(from: 1, to: n, by: 3) {
            let p = Product(id: "p\(i)", name: "")
            hnsw.upsert(p, vector: moved[i])
            exact.upsert(p, vector: moved[i])
            #expect(hnsw.search(moved[i], k: 1).first?.productID == "p\(i)")
        }
        #expect(hnsw.count == exact.count)
        #expect(hnsw.tombstoneCount < n / 3)
        hnsw.repair()
        #expect(hnsw.tombstoneCount == 0)
        // Re-inserted products reuse repaired slots and are found.
        for i in stride(from: 0, to: 300, by: 3) {
            let p = Product(id: "p\(i)", name: "")
            hnsw.upsert(p, vector: vectors[i])
            exact.upsert(p, vector: vectors[i])
            #expect(hnsw.search(vectors[i], k: 1).first?.productID == "p\(i)")
        }
        let queries = TestFixtures.randomUnitVectors(count: 60, dimension: d, seed: 21)
        #expect(Self.recall(hnsw, exact, queries: queries) >= 0.9)
        for q in queries {
            for hit in hnsw.search(q, k: 10) {
                let id = Int(hit.productID.dropFirst())!
                #expect(id % 3 != 0 || id < 300, "deleted product returned")
            }
        }
    }

    /// The id table (open addressing, backward-shift deletes) behind upserts, deletes and lookups:
    /// grown one product at a time and by batches, emptied in an interleaved order and refilled,
    /// and rebuilt by a snapshot load, every id must still map to its own vector.
    /// A batch after a repair fills the freed slots (prepared one by one, their upper lists reused)
    /// and fresh ones (prepared by the workers in parallel) in one build.
    @Test func aBatchFillsRepairedSlotsAndFreshOnesOnTwoThreads() {
        let d = 16
        let vectors = TestFixtures.randomUnitVectors(count: 1_600, dimension: d, seed: 23)
        let hnsw = HNSWIndex(dimension: d, configuration: .init(m: 8, efConstruction: 64, efSearch: 64, repairFraction: 1))
        hnsw.insert((0..<1_000).map { (product: Product(id: "p\($0)", name: ""), vector: vectors[$0]) }, threads: 2)
        for i in 0..<300 { hnsw.delete("p\(i)") }
        #expect(hnsw.repair() == 300)
        hnsw.insert((1_000..<1_600).map { (product: Product(id: "p\($0)", name: ""), vector: vectors[$0]) }, threads: 2)
        #expect(hnsw.count == 1_300)
        for i in 0..<1_600 {
            #expect(hnsw.vector(of: "p\(i)") == (i < 300 ? nil : vectors[i]), "p\(i)")
        }
        let sampled = Array(stride(from: 300, to: 1_600, by: 13))
        let found = sampled.filter { hnsw.search(vectors[$0], k: 1).first?.productID == "p\($0)" }.count
        #expect(found >= sampled.count - 2, "\(found) of \(sampled.count)")
    }

    @Test func everyIdMapsToItsVectorThroughGrowthDeletesAndReloads() throws {
        let d = 4
        func vector(_ i: Int, _ version: Int = 0) -> [Float] {
            let a = Float(i) * 0.37 + Float(version) * 0.11
            let v: [Float] = [cos(a), sin(a), cos(a * 0.5) * 0.25, Float(i % 7) * 0.01 + 0.05]
            let norm = v.map { $0 * $0 }.reduce(0, +).squareRoot()
            return v.map { $0 / norm }
        }
        let hnsw = HNSWIndex(dimension: d, configuration: .init(m: 4, efConstruction: 16, efSearch: 16, repairFraction: 0.2))
        for i in 0..<700 { hnsw.upsert(Product(id: "id-\(i)", name: ""), vector: vector(i)) }
        hnsw.insert((700..<1_500).map { (product: Product(id: "id-\($0)", name: ""), vector: vector($0)) }, threads: 2)
        #expect(hnsw.count == 1_500)
        var live = [Int: Int]()  // id → version
        for i in 0..<1_500 { live[i] = 0 }
        // Deletes in an order that leaves runs of collisions to shift back, updates in between.
        for i in stride(from: 0, to: 1_500, by: 2) {
            hnsw.delete("id-\(i)")
            live[i] = nil
            if i % 10 == 4 {
                hnsw.upsert(Product(id: "id-\(i + 1)", name: ""), vector: vector(i + 1, 1))
                live[i + 1] = 1
            }
        }
        hnsw.delete("absent")
        for i in stride(from: 0, to: 600, by: 4) {
            hnsw.upsert(Product(id: "id-\(i)", name: ""), vector: vector(i, 2))
            live[i] = 2
        }
        func check(_ index: HNSWIndex) {
            #expect(index.count == live.count)
            for i in 0..<1_500 {
                if let version = live[i] {
                    #expect(index.vector(of: "id-\(i)") == vector(i, version), "id-\(i)")
                } else {
                    #expect(index.vector(of: "id-\(i)") == nil, "id-\(i) deleted")
                }
            }
        }
        check(hnsw)
        let url = Self.temporaryURL("ids")
        defer { try? FileManager.default.removeItem(at: url) }
        try hnsw.save(to: url, metadata: IndexSnapshotMetadata(modelVersion: "v", catalogWatermark: Date()))
        let (loaded, _) = try HNSWIndex.load(from: url)
        check(loaded)
    }

    @Test func saveThenLoadAnswersIdentically() throws {
        let n = 1_500, d = 16
        let vectors = TestFixtures.randomUnitVectors(count: n, dimension: d, seed: 4)
        let products = VectorSearchTests.products(n)
        let hnsw = HNSWIndex(dimension: d, configuration: .init(m: 8, efConstruction: 60, efSearch: 40))
        for (p, v) in zip(products, vectors) { hnsw.upsert(p, vector: v) }
        for i in stride(from: 0, to: n, by: 11) { hnsw.delete("p\(i)") }
        let url = Self.temporaryURL("roundtrip")
        defer { try? FileManager.default.removeItem(at: url) }
        let metadata = IndexSnapshotMetadata(modelVersion: "bi-encoder/v1", catalogWatermark: Date(timeIntervalSince1970: 1_700_000_123.5))
        try hnsw.save(to: url, metadata: metadata)
        let (loaded, loadedMetadata) = try HNSWIndex.load(from: url)
        #expect(loadedMetadata == metadata)
        #expect(loaded.count == hnsw.count)
        #expect(loaded.configuration == hnsw.configuration)
        let filters = [ProductFilter.none, ProductFilter(category: "mugs", inStockOnly: true), ProductFilter(inStockOnly: false, currency: "EUR")]
        for q in TestFixtures.randomUnitVectors(count: 30, dimension: d, seed: 12) {
            for filter in filters {
                let a = hnsw.search(q, k: 10, filter: filter, excluding: ["p1"])
                let b = loaded.search(q, k: 10, filter: filter, excluding: ["p1"])
                #expect(a.map(\.productID) == b.map(\.productID))
                #expect(a.map(\.score) == b.map(\.score))
            }
        }
        // The loaded index keeps taking writes.
        loaded.upsert(Product(id: "new", name: ""), vector: vectors[3])
        #expect(loaded.search(vectors[3], k: 2).map(\.productID).contains("new"))
        #expect(throws: IndexSnapshotError.self) { _ = try VectorIndex.load(from: url) }
    }

    @Test func readersKeepSearchingWhileWritersWrite() async {
        let d = 16
        let vectors = TestFixtures.randomUnitVectors(count: 1_200, dimension: d, seed: 31)
        for index in [HNSWIndex(dimension: d, configuration: .init(m: 8, efConstruction: 40, efSearch: 32)) as any ProductVectorIndex, VectorIndex(dimension: d, quantizedScanThreshold: 200)] {
            for i in 0..<600 { index.upsert(Product(id: "p\(i)", name: ""), vector: vectors[i]) }
            await withTaskGroup(of: Int.self) { group in
                group.addTask {
                    for i in 600..<1_200 {
                        index.upsert(Product(id: "p\(i)", name: ""), vector: vectors[i])
                        if i % 5 == 0 { index.delete("p\(i - 600)") }
                    }
                    return 0
                }
                for reader in 0..<3 {
                    group.addTask {
                        var answered = 0
                        for q in 0..<300 {
                            let results = index.search(vectors[(q * 7 + reader) % 1_200], k: 5, filter: .none, excluding: [])
                            if results.count == 5 { answered += 1 }
                        }
                        return answered
                    }
                }
                for await answered in group { _ = answered }
            }
            #expect(index.count == 1_200 - 120)
            for i in 600..<1_200 { #expect(index.search(vectors[i], k: 1, filter: .none, excluding: []).first?.productID == "p\(i)") }
        }
    }
}

@Suite struct VectorIndexSnapshotTests {
    @Test func exactIndexSaveThenLoadAnswersIdentically() throws {
        let n = 900, d = 16
        let vectors = TestFixtures.randomUnitVectors(count: n, dimension: d, seed: 41)
        let products = VectorSearchTests.products(n)
        let index = VectorIndex(dimension: d, quantizedScanThreshold: 300)
        for (p, v) in zip(products, vectors) { index.upsert(p, vector: v) }
        for i in stride(from: 0, to: n, by: 13) { index.delete("p\(i)") }
        let url = HNSWIndexTests.temporaryURL("exact")
        defer { try? FileManager.default.removeItem(at: url) }
        let metadata = IndexSnapshotMetadata(modelVersion: "m", catalogWatermark: Date(timeIntervalSince1970: 42))
        try index.save(to: url, metadata: metadata)
        let (loaded, loadedMetadata) = try VectorIndex.load(from: url, quantizedScanThreshold: 300)
        #expect(loadedMetadata == metadata)
        #expect(loaded.count == index.count)
        for q in TestFixtures.randomUnitVectors(count: 20, dimension: d, seed: 43) {
            for filter in [ProductFilter.none, ProductFilter(category: "bags", maxPrice: 30)] {
                let a = index.search(q, k: 10, filter: filter, excluding: [])
                let b = loaded.search(q, k: 10, filter: filter, excluding: [])
                #expect(a.map(\.productID) == b.map(\.productID))
                #expect(a.map(\.score) == b.map(\.score))
            }
        }
        // Deleted rows are reused after loading, as before.
        loaded.upsert(Product(id: "fresh", name: ""), vector: vectors[0])
        #expect(loaded.search(vectors[0], k: 1).first?.productID == "fresh")
        #expect(throws: IndexSnapshotError.self) { _ = try HNSWIndex.load(from: url) }
    }
}

@Suite struct ServingVectorIndexTests {
    @Test func exactServesWhileHNSWBuildsAndWritesMeanwhileSurviveTheSwap() async {
        let d = 16, n = 1_500
        let vectors = TestFixtures.randomUnitVectors(count: n + 200, dimension: d, seed: 51)
        let exact = VectorIndex(dimension: d)
        for i in 0..<n { exact.upsert(Product(id: "p\(i)", name: ""), vector: vectors[i]) }
        let serving = ServingVectorIndex(serving: exact)
        serving.beginReplacement()
        let base = (0..<n).map { (product: Product(id: "p\($0)", name: ""), vector: vectors[$0]) }
        // Writes while the replacement builds: searchable at once through the exact index.
        for i in n..<(n + 200) {
            serving.upsert(Product(id: "p\(i)", name: ""), vector: vectors[i])
            #expect(serving.search(vectors[i], k: 1, filter: .none, excluding: []).first?.productID == "p\(i)")
        }
        for i in 0..<50 { serving.delete("p\(i)") }
        #expect(serving.serving is VectorIndex)
        let task = serving.replaceInBackground {
            let hnsw = HNSWIndex(dimension: d, configuration: .init(m: 12, efConstruction: 80, efSearch: 64))
            hnsw.insert(base, threads: 2)
            return hnsw
        }
        await task.value
        #expect(serving.serving is HNSWIndex)
        #expect(!serving.isReplacing)
        #expect(serving.count == n + 200 - 50)
        for i in n..<(n + 200) { #expect(serving.search(vectors[i], k: 1, filter: .none, excluding: []).first?.productID == "p\(i)") }
        for i in 0..<50 { #expect(serving.vector(of: "p\(i)") == nil) }
    }

    /// The start-up loader fills the exact index with the rows it also hands to the HNSW build:
    /// served at once, but not logged for the replacement (which has them already).
    @Test func aLoaderFillsTheServingIndexWithoutLoggingForTheReplacement() {
        let d = 8
        let vectors = TestFixtures.randomUnitVectors(count: 2, dimension: d, seed: 61)
        let serving = ServingVectorIndex(serving: VectorIndex(dimension: d))
        serving.beginReplacement()
        serving.upsertIntoCurrent(Product(id: "loaded", name: ""), vector: vectors[0])
        serving.upsert(Product(id: "written", name: ""), vector: vectors[1])
        #expect(serving.vector(of: "loaded") == vectors[0])
        serving.completeReplacement(with: VectorIndex(dimension: d))
        #expect(!serving.isReplacing)
        #expect(serving.vector(of: "written") == vectors[1], "a write during the build is replayed")
        #expect(serving.vector(of: "loaded") == nil, "the loader's rows are the build's to add")
    }

    @Test func aStaleSnapshotCatchesUpByReplayingLaterWrites() throws {
        // A snapshot taken at a watermark, then writes after it: loading the snapshot and applying
        // the later writes gives the same answers as the index that saw everything.
        let d = 16
        let vectors = TestFixtures.randomUnitVectors(count: 1_400, dimension: d, seed: 61)
        let live = HNSWIndex(dimension: d, configuration: .init(m: 8, efConstruction: 60, efSearch: 64))
        for i in 0..<1_000 { live.upsert(Product(id: "p\(i)", name: ""), vector: vectors[i]) }
        let url = HNSWIndexTests.temporaryURL("stale")
        defer { try? FileManager.default.removeItem(at: url) }
        let watermark = Date(timeIntervalSince1970: 1_000)
        try live.save(to: url, metadata: IndexSnapshotMetadata(modelVersion: "v", catalogWatermark: watermark))
        var later: [(Product, [Float]?)] = []
        for i in 1_000..<1_400 { later.append((Product(id: "p\(i)", name: ""), vectors[i])) }
        for i in stride(from: 0, to: 300, by: 3) { later.append((Product(id: "p\(i)", name: ""), nil)) }
        for (product, vector) in later {
            if let vector { live.upsert(product, vector: vector) } else { live.delete(product.id) }
        }
        let (loaded, metadata) = try HNSWIndex.load(from: url)
        #expect(metadata.catalogWatermark == watermark)
        #expect(loaded.count == 1_000)
        for (product, vector) in later {
            if let vector { loaded.upsert(product, vector: vector) } else { loaded.delete(product.id) }
        }
        #expect(loaded.count == live.count)
        for i in 1_000..<1_400 { #expect(loaded.search(vectors[i], k: 1).first?.productID == "p\(i)") }
        for i in stride(from: 0, to: 300, by: 3) { #expect(loaded.vector(of: "p\(i)") == nil) }
    }

    /// The blocks (vectors and level-0 lists) are what a search reads at random: their mapping must
    /// carry the huge-page advice (`hg` in smaps' VmFlags) wherever the kernel has transparent huge pages.
    @Test func graphBlocksAreAdvisedForHugePages() throws {
        #if os(Linux)
        guard FileManager.default.fileExists(atPath: "/sys/kernel/mm/transparent_hugepage/enabled") else { return }
        let graph = try #require(hr_hnsw_create(384, 16, 100))
        defer { hr_hnsw_destroy(graph) }
        #expect(hr_hnsw_reserve(graph, 20_000) == 0)  // about 33 MB of blocks
        let middle = UInt(bitPattern: hr_hnsw_vector(graph, 10_000))
        // Read to the end: String(contentsOfFile:) stops after its first read of a /proc file (a few KB).
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: "/proc/self/smaps"))
        defer { try? handle.close() }
        let smaps = String(decoding: try handle.readToEnd() ?? Data(), as: UTF8.self)
        var inside = false
        var flags: Substring?
        for line in smaps.split(separator: "\n") {
            if let dash = line.firstIndex(of: "-"), let space = line.firstIndex(of: " "), dash < space,
               let low = UInt(line[..<dash], radix: 16), let high = UInt(line[line.index(after: dash)..<space], radix: 16) {
                inside = low <= middle && middle < high
            } else if inside, line.hasPrefix("VmFlags:") {
                flags = line
                break
            }
        }
        let found = try #require(flags)
        #expect(found.split(separator: " ").contains("hg"))
        #endif
    }
}
