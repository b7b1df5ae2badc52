import ArgumentParser
import Candidates
import CVectorKernels
import Domain
import Evaluation
import Foundation
import Scoring
import Support

#if canImport(Glibc)
import Glibc
#endif

/// `hybridrank bench candidates`: candidates + scoring latency for one homepage request on a
/// synthetic catalog (exact search), HNSW recall/QPS/latency against exact search at a larger size,
/// memory per product, and hnswlib (PyPI) on the same vectors in the same run.
struct BenchCandidatesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "candidates",
        abstract: "Candidate generation + scoring latency, HNSW vs exact vs hnswlib (see BENCHMARKS.md)."
    )

    @Option(help: "Catalog size for the exact-search homepage benchmark.")
    var exactProducts: Int = 100_000
    @Option(help: "Index behind the homepage benchmark's content source: exact, hnsw (M, efConstruction as below, efSearch --homepage-ef), or none to skip it.")
    var homepageIndex: String = "exact"
    @Option(help: "Synthetic shopper histories: themed (each user buys around three related groups of products) or uniform (every purchase anywhere).")
    var history: String = "themed"
    @Option(help: "efSearch of the homepage benchmark's HNSW index.")
    var homepageEf: Int = 128
    @Option(help: "Catalog size for the HNSW benchmark (0 skips it).")
    var hnswProducts: Int = 200_000
    @Option(help: "Vector dimension.")
    var dimension: Int = 384
    @Option(help: "Timed requests per configuration.")
    var requests: Int = 300
    @Option(help: "HNSW M.")
    var m: Int = 16
    @Option(help: "HNSW efConstruction.")
    var efConstruction: Int = 100
    @Option(help: "ef values to sweep, comma-separated.")
    var ef: String = "16,32,64,128,256"
    @Option(help: "Python with hnswlib for the peer run (empty skips it).")
    var python: String = "python3"
    @Option(help: "Scratch directory for the vectors handed to hnswlib.")
    var scratch: String = ".local/bench-candidates"
    @Option(help: "HNSW benchmark vectors: synthetic (Gaussian clusters) or real (the Online Retail catalog's MiniLM embeddings tiled with small perturbations).")
    var vectors: String = "synthetic"
    @Option(help: "Catalog whose product texts give the real vectors (embedded once, cached under .data/embeddings/).")
    var realCatalog: String = "../shared/data/online-retail/products.csv.gz"
    @Option(help: "Bi-encoder for the real vectors.")
    var biEncoder: String = ".models/all-MiniLM-L6-v2"
    @Option(help: "Standard deviation of the noise added per component when tiling real vectors.")
    var perturbation: Float = 0.01
    @Option(help: "Seed of both libraries' level draws (hnswlib's random_seed), for recall over several builds.")
    var graphSeed: UInt64 = 42
    @Option(help: "Rounds of the QPS comparison with hnswlib kept running beside this process: after one untimed warm-up sweep of each, each round sweeps every ef on the Swift index, then on hnswlib's, so both are measured in the same minutes (0: hnswlib sweeps once, after the Swift run).")
    var rounds: Int = 5
    @Option(help: "Threads for the parallel HNSW build measured after the one-thread one (1 skips it).")
    var buildThreads: Int = 2
    @Option(help: "Where to save and reload the built HNSW index to time a snapshot (empty skips it).")
    var snapshot: String = ""
    @Option(help: "Write the HNSW comparison as JSON to this path (empty: text only).")
    var json: String = ""
    @Option(help: "Raw float32 file of real product embeddings (rows of --dimension floats, e.g. the cache under .local/embeddings/ that `eval` writes) to derive the synthetic catalog from; default: Gaussian clusters.")
    var seedVectors: String?

    func run() async throws {
        print("bench candidates: d=\(dimension), \(requests) requests per configuration, BLAS threads as configured (OPENBLAS_NUM_THREADS)")
        switch homepageIndex {
        case "exact": try await homepage(index: VectorIndex(dimension: dimension), name: "exact search")
        case "hnsw":
            let configuration = HNSWIndex.Configuration(m: m, efConstruction: efConstruction, efSearch: homepageEf)
            try await homepage(index: HNSWIndex(dimension: dimension, configuration: configuration), name: "HNSW ef \(homepageEf)")
        case "none": break
        default: throw ValidationError("--homepage-index must be exact, hnsw or none")
        }
        if hnswProducts > 0 { try await hnswComparison() }
    }

    /// A clustered synthetic catalog: product vectors near one of √n topic centres, like real
    /// catalogs where many products share a theme (uniform random vectors are a worst case no
    /// catalog resembles).
    func syntheticVectors(count: Int, seed: UInt64) -> [Float] {
        syntheticCatalog(count: count, seed: seed).matrix
    }

    /// The synthetic catalog with each row's group (its topic centre, or the real product it
    /// derives from) and the groups' centre vectors, for themed shopper histories.
    func syntheticCatalog(count: Int, seed: UInt64) -> (matrix: [Float], groups: [Int32], centres: [Float]) {
        if let seeds = realSeedVectors { return derivedVectors(count: count, seed: seed, from: seeds) }
        let dimension = self.dimension
        var generator = SplitMix64(seed: seed)
        let centres = max(1, Int(Double(count).squareRoot()))
        var centreMatrix = [Float](repeating: 0, count: centres * dimension)
        for i in centreMatrix.indices { centreMatrix[i] = generator.gaussian() }
        var matrix = [Float](repeating: 0, count: count * dimension)
        var groups = [Int32](repeating: 0, count: count)
        for row in 0..<count {
            let c = Int(generator.next() % UInt64(centres))
            groups[row] = Int32(c)
            var norm: Float = 0
            for d in 0..<dimension {
                let v = centreMatrix[c * dimension + d] + 0.9 * generator.gaussian()
                matrix[row * dimension + d] = v
                norm += v * v
            }
            norm = norm.squareRoot()
            for d in 0..<dimension { matrix[row * dimension + d] /= norm }
        }
        return (matrix, groups, centreMatrix)
    }

    /// The real embeddings from `--seed-vectors`, if given.
    var realSeedVectors: [Float]? {
        guard let seedVectors, let data = FileManager.default.contents(atPath: seedVectors),
              data.count >= dimension * 4, data.count % (dimension * 4) == 0 else { return nil }
        var matrix = [Float](repeating: 0, count: data.count / 4)
        _ = matrix.withUnsafeMutableBytes { data.copyBytes(to: $0) }
        return matrix
    }

    /// A catalog derived from real product embeddings: each vector is a real product's, blended
    /// with a second one (weight up to 0.5) plus a little noise, then normalised — near-variants of
    /// real items (colours, sizes, bundles), so the set keeps the low intrinsic dimension of real
    /// MiniLM embeddings that the Gaussian clusters lack.
    func derivedVectors(count: Int, seed: UInt64, from seeds: [Float]) -> (matrix: [Float], groups: [Int32], centres: [Float]) {
        let dimension = self.dimension
        var generator = SplitMix64(seed: seed)
        let rows = seeds.count / dimension
        var matrix = [Float](repeating: 0, count: count * dimension)
        var groups = [Int32](repeating: 0, count: count)
        for row in 0..<count {
            let a = Int(generator.next() % UInt64(rows)), b = Int(generator.next() % UInt64(rows))
            groups[row] = Int32(a)
            let w = Float(generator.next() % 1000) / 2000
            var norm: Float = 0
            for d in 0..<dimension {
                let v = seeds[a * dimension + d] + w * seeds[b * dimension + d] + 0.02 * generator.gaussian()
                matrix[row * dimension + d] = v
                norm += v * v
            }
            norm = norm.squareRoot()
            for d in 0..<dimension { matrix[row * dimension + d] /= norm }
        }
        return (matrix, groups, seeds)
    }

    /// Themed shoppers: each user has an anchor group and two groups among its 10 nearest (by
    /// centre vector), and buys 30 products from those three — real customers buy around a few
    /// related themes, so their preference vectors sit near products. (`--history uniform`
    /// draws every purchase from the whole catalog: preference vectors then average 30
    /// unrelated products and sit far from all of them, a worst case for HNSW.)
    func syntheticHistory(products n: Int, groups: [Int32], centres: [Float], themed: Bool) -> [Interaction] {
        let dimension = self.dimension
        var generator = SplitMix64(seed: 2)
        let base = Date(timeIntervalSince1970: 1_700_000_000)
        let groupCount = centres.count / dimension
        var rowsByGroup = [[Int32]](repeating: [], count: groupCount)
        for (row, group) in groups.enumerated() { rowsByGroup[Int(group)].append(Int32(row)) }
        var nearestGroups: [Int: [Int]] = [:]
        func related(_ g: Int) -> [Int] {
            if let known = nearestGroups[g] { return known }
            var heap = TopKHeap(capacity: 11)
            centres.withUnsafeBufferPointer { c in
                for other in 0..<groupCount where !rowsByGroup[other].isEmpty {
                    var dot: Float = 0
                    for d in 0..<dimension { dot += c[g * dimension + d] * c[other * dimension + d] }
                    heap.push(dot, Int32(other))
                }
            }
            let list = heap.sortedDescending().map { Int($0.ordinal) }.filter { $0 != g }
            nearestGroups[g] = list
            return list
        }
        let populated = (0..<groupCount).filter { !rowsByGroup[$0].isEmpty }
        var events: [Interaction] = []
        events.reserveCapacity(20_000 * 30)
        for u in 0..<20_000 {
            var interests: [Int] = []
            if themed {
                let anchor = populated[Int(generator.next() % UInt64(populated.count))]
                let near = related(anchor)
                interests = [anchor]
                for _ in 0..<2 where !near.isEmpty { interests.append(near[Int(generator.next() % UInt64(near.count))]) }
            }
            for e in 0..<30 {
                let product: Int
                if themed {
                    let rows = rowsByGroup[interests[Int(generator.next() % UInt64(interests.count))]]
                    product = Int(rows[Int(generator.next() % UInt64(rows.count))])
                } else {
                    product = Int(generator.next() % UInt64(n))
                }
                events.append(
                    Interaction(userID: "u\(u)", productID: "p\(product)", type: .purchase, basketID: "b\(u)-\(e / 10)",
                                occurredAt: base.addingTimeInterval(Double(generator.next() % 10_000_000))))
            }
        }
        return events
    }

    /// One homepage request's candidates + scoring over `index` (exact or HNSW), all four sources
    /// over a synthetic 20k-user history, timed per step.
    func homepage<Index: NearestNeighbourSearch & ProductVectorStore>(index: Index, name: String) async throws {
        let n = exactProducts
        let started = Date()
        let catalog = syntheticCatalog(count: n, seed: 1)
        let matrix = catalog.matrix
        let rssBefore = Self.residentBytes()
        for row in 0..<n {
            let product = Product(id: "p\(row)", name: "", category: "c\(row % 50)", price: Double(row % 100))
            index.upsert(product, vector: Array(matrix[(row * dimension)..<((row + 1) * dimension)]))
        }
        let rssAfter = Self.residentBytes()
        // Collaborative and popularity indexes from a synthetic history: 20k users × 30 purchases.
        let events = syntheticHistory(products: n, groups: catalog.groups, centres: catalog.centres, themed: history == "themed")
        let base = Date(timeIntervalSince1970: 1_700_000_000)
        let now = base.addingTimeInterval(10_000_000)
        let popularity = PopularityIndex()
        popularity.rebuild(from: events, categoryOf: { _ in "" })
        let basketIndex = CoPurchaseIndex(configuration: .init(neighboursPerItem: 10))
        basketIndex.rebuild(from: events, groupKey: \.basketID)
        let customerIndex = CoPurchaseIndex(configuration: .customers)
        customerIndex.rebuild(from: events, groupKey: \.userID)
        let similar = SimilarUsersIndex(configuration: .homepage)
        similar.rebuild(from: events)
        var byUser: [UserID: [Interaction]] = [:]
        for event in events.reversed() { byUser[event.userID, default: []].append(event) }
        let sources: [any CandidateSource] = [
            ContentSource(index: index),
            CoPurchaseSource(basketIndex: basketIndex, customerIndex: customerIndex),
            SimilarUsersSource(index: similar),
            PopularitySource(index: popularity),
        ]
        let scorer = BlendedScorer()
        print("history: \(history) (20k users × 30 purchases)")
        print(String(format: "\(name): %d products indexed + synthetic history built in %.1f s; RSS +%.0f MB for the vector index (%.0f B/product; layout %d B)",
                     n, Date().timeIntervalSince(started), Double(rssAfter - rssBefore) / 1e6,
                     Double(rssAfter - rssBefore) / Double(n), index.approximateBytesPerProduct))
        if let hnsw = index as? HNSWIndex {
            // Recall of this index against exact search on the benchmark's own query vectors.
            let exact = VectorIndex(dimension: dimension)
            for row in 0..<n {
                exact.upsert(Product(id: "p\(row)", name: ""), vector: Array(matrix[(row * dimension)..<((row + 1) * dimension)]))
            }
            var found = 0, asked = 0
            for r in 0..<min(200, requests) {
                let user = "u\(r % 20_000)"
                guard let query = PreferenceVector.user(history: byUser[user] ?? [], now: now, vectors: exact) else { continue }
                let truth = Set(exact.search(query, k: 10, filter: .none, excluding: []).map(\.productID))
                found += hnsw.search(query, k: 10, filter: .none, excluding: []).filter { truth.contains($0.productID) }.count
                asked += 10
            }
            print(String(format: "HNSW recall@10 against exact on the homepage preference vectors: %.4f (%d queries)", Double(found) / Double(max(1, asked)), asked / 10))
        }
        var samples: [Double] = []
        // Per step: query vector, each source in order, scoring.
        let stepNames = ["query vector"] + sources.map { "\($0.origin)" } + ["scoring"]
        var stepSamples = [[Double]](repeating: [], count: stepNames.count)
        let clock = ContinuousClock()
        for r in 0..<(requests + 20) {
            let user = "u\(r % 20_000)"
            let start = clock.now
            var context = ShopperContext(
                request: RecommendationRequest(widget: .homepage, userID: user, filter: ProductFilter(inStockOnly: true)),
                history: byUser[user] ?? [], now: now)
            context.queryVector = PreferenceVector.query(for: context, vectors: index)
            var marks = [clock.now]
            var merged: [Candidate] = []
            for source in sources {
                merged += try await source.candidates(for: [context], limit: 100)[0]
                marks.append(clock.now)
            }
            let items = scorer.score(request: merged, weights: .homepageDefault)
            let end = clock.now
            marks.append(end)
            precondition(!items.isEmpty)
            if r >= 20 {
                samples.append(start.duration(to: end).inMilliseconds)
                var previous = start
                for (step, mark) in marks.enumerated() {
                    stepSamples[step].append(previous.duration(to: mark).inMilliseconds)
                    previous = mark
                }
            }
        }
        print("homepage candidates+scoring, \(name), \(n) products: " + Self.summary(samples))
        for (name, values) in zip(stepNames, stepSamples) { print("  \(name): " + Self.summary(values)) }
    }

    /// The HNSW benchmark's base vectors and queries: synthetic clusters, or the Online Retail
    /// catalog's MiniLM embeddings tiled to the size under test with small perturbations (`--vectors real`).
    func comparisonVectors(count: Int) throws -> (base: [Float], queries: [Float], source: String) {
        guard vectors == "real" else { return (syntheticVectors(count: count, seed: 3), syntheticVectors(count: requests, seed: 4), "synthetic clusters") }
        let products = try RetailDataset.loadProducts(catalog: URL(fileURLWithPath: realCatalog))
        guard let embeddings = try ProductEmbeddingCache.vectors(
            for: products, modelDirectory: URL(fileURLWithPath: biEncoder), cacheDirectory: URL(fileURLWithPath: ".data/embeddings"),
            log: { print($0) })
        else { throw ValidationError("--vectors real needs the bi-encoder at \(biEncoder) (scripts/fetch-models.sh)") }
        var seeds: [Float] = []
        seeds.reserveCapacity(products.count * dimension)
        for product in products {
            guard let vector = embeddings[product.id], vector.count == dimension else { continue }
            seeds.append(contentsOf: vector)
        }
        let source = String(format: "Online Retail catalog MiniLM embeddings (%d products) tiled, perturbation σ %.3f per component", seeds.count / dimension, perturbation)
        return (tiled(seeds, count: count, seed: 3), tiled(seeds, count: requests, seed: 4), source)
    }

    /// `count` rows: real vector `row mod n` (a random one for queries) plus N(0, σ²) per
    /// component, normalised — near-duplicates of real products, as a large catalog's variants are.
    func tiled(_ seeds: [Float], count: Int, seed: UInt64) -> [Float] {
        let rows = seeds.count / dimension
        var generator = SplitMix64(seed: seed)
        var matrix = [Float](repeating: 0, count: count * dimension)
        for row in 0..<count {
            let source = seed == 3 ? row % rows : Int(generator.next() % UInt64(rows))
            var norm: Float = 0
            for d in 0..<dimension {
                let v = seeds[source * dimension + d] + perturbation * generator.gaussian()
                matrix[row * dimension + d] = v
                norm += v * v
            }
            norm = norm.squareRoot()
            for d in 0..<dimension { matrix[row * dimension + d] /= norm }
        }
        return matrix
    }

    func hnswComparison() async throws {
        let n = hnswProducts
        let k = 10
        let (matrix, queries, source) = try comparisonVectors(count: n)
        print("HNSW comparison vectors: \(source)")
        var report: [String: Any] = [
            "n": n, "dimension": dimension, "m": m, "ef_construction": efConstruction, "k": k, "queries": requests,
            "vectors": vectors, "vector_source": source, "date": ISO8601DateFormatter().string(from: Date()), "load_average_start": Self.loadAverage(),
            "kernel_path": ["portable", "avx2+fma", "avx512f"][Int(hr_kernel_path_selected())],
        ]
        let exact = VectorIndex(dimension: dimension)
        for row in 0..<n {
            exact.upsert(Product(id: "p\(row)", name: ""), vector: Array(matrix[(row * dimension)..<((row + 1) * dimension)]))
        }
        var truth: [[Int32]] = []
        var exactSamples: [Double] = []
        let clock = ContinuousClock()
        for q in 0..<requests {
            let query = Array(queries[(q * dimension)..<((q + 1) * dimension)])
            let start = clock.now
            let result = exact.search(query, k: k, filter: .none, excluding: [])
            exactSamples.append(start.duration(to: clock.now).inMilliseconds)
            truth.append(result.map { Int32($0.productID.dropFirst())! })
        }
        print("exact search \(n) products: " + Self.summary(exactSamples))

        let batch = (0..<n).map { row in
            (product: Product(id: "p\(row)", name: ""), vector: Array(matrix[(row * dimension)..<((row + 1) * dimension)]))
        }
        let configuration = HNSWIndex.Configuration(m: m, efConstruction: efConstruction, seed: graphSeed)
        let rssBefore = Self.residentBytes()
        let buildStart = Date()
        let buildCPUStart = Self.processCPUSeconds()
        var hnsw: HNSWIndex? = HNSWIndex(dimension: dimension, configuration: configuration)
        hnsw!.insert(batch, threads: 1)
        let buildSeconds = Date().timeIntervalSince(buildStart)
        let buildCPUSeconds = Self.processCPUSeconds() - buildCPUStart
        let rssAfter = Self.residentBytes()
        let bytesPerProduct = Double(rssAfter - rssBefore) / Double(n)
        print(String(format: "HNSW build: %d products, M=%d, efConstruction=%d, one thread: %.1f s; RSS +%.0f MB (%.0f B/product incl. vector; layout estimate %d B)",
                     n, m, efConstruction, buildSeconds, Double(rssAfter - rssBefore) / 1e6, bytesPerProduct, hnsw!.approximateBytesPerNode))
        report["swift_build_seconds"] = buildSeconds
        report["swift_build_cpu_seconds"] = buildCPUSeconds
        report["swift_rss_bytes_per_product"] = bytesPerProduct
        report["swift_layout_bytes_per_product"] = hnsw!.approximateBytesPerNode
        let efs = ef.split(separator: ",").compactMap { Int($0) }
        var swiftSweep: [[String: Any]] = []
        for e in efs {
            let (row, samples) = sweep(hnsw!, ef: e, queries: queries, truth: truth, k: k)
            swiftSweep.append(row)
            print(String(format: "swift HNSW ef=%d: recall@10 %.4f, QPS %.0f (one thread), ", e, row["recall"] as! Double, row["qps"] as! Double) + Self.summary(samples))
        }
        report["swift_sweep"] = swiftSweep
        if !snapshot.isEmpty {
            let url = URL(fileURLWithPath: snapshot)
            let metadata = IndexSnapshotMetadata(modelVersion: "bench", catalogWatermark: Date())
            let saveStart = Date()
            try hnsw!.save(to: url, metadata: metadata)
            let saveSeconds = Date().timeIntervalSince(saveStart)
            hnsw = nil
            let loadStart = Date()
            let (loaded, _) = try HNSWIndex.load(from: url)
            let loadSeconds = Date().timeIntervalSince(loadStart)
            let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
            print(String(format: "snapshot: saved in %.1f s, loaded in %.1f s (%d products, %.0f MB)", saveSeconds, loadSeconds, loaded.count, Double(size) / 1e6))
            report["snapshot_save_seconds"] = saveSeconds
            report["snapshot_load_seconds"] = loadSeconds
            report["snapshot_bytes"] = size
            try? FileManager.default.removeItem(at: url)
        }
        let peerArguments = try writePeerFiles(matrix: matrix, queries: queries, truth: truth, k: k)
        var interleaved: (peer: [String: Any], swift: [[String: Any]])?
        if let arguments = peerArguments, rounds > 0 {
            interleaved = try interleave(hnsw!, arguments: arguments, efs: efs, queries: queries, truth: truth, k: k, report: &report)
        }
        hnsw = nil
        if buildThreads > 1 {
            let loadBefore = Self.loadAverage()
            let start = Date()
            let cpuStart = Self.processCPUSeconds()
            let parallel = HNSWIndex(dimension: dimension, configuration: configuration)
            parallel.insert(batch, threads: buildThreads)
            let seconds = Date().timeIntervalSince(start)
            let cpuSeconds = Self.processCPUSeconds() - cpuStart
            var found = 0
            for q in 0..<requests {
                let query = Array(queries[(q * dimension)..<((q + 1) * dimension)])
                let want = Set(truth[q])
                found += parallel.search(query, k: k, ef: efs.last ?? 64, filter: .none, excluding: []).filter { want.contains(Int32($0.productID.dropFirst())!) }.count
            }
            let recall = Double(found) / Double(requests * k)
            print(String(format: "HNSW parallel build on %d threads: %.1f s (%.2f× the one-thread build); recall@10 at ef %d: %.4f",
                         buildThreads, seconds, buildSeconds / seconds, efs.last ?? 64, recall))
            report["swift_parallel_build_threads"] = buildThreads
            report["swift_parallel_build_seconds"] = seconds
            report["swift_parallel_speedup"] = buildSeconds / seconds
            report["swift_parallel_recall_at_max_ef"] = recall
            // CPU seconds over wall seconds: how many cores the build actually had (2.0 on two
            // free cores); with the one-thread build's figures, it tells a slow machine from a slow build.
            report["swift_parallel_build_cpu_seconds"] = cpuSeconds
            report["swift_parallel_cores_used"] = cpuSeconds / seconds
            report["load_average_before_parallel_build"] = loadBefore
            report["load_average_after_parallel_build"] = Self.loadAverage()
            print(String(format: "  parallel build CPU time %.1f s (%.2f cores busy on average); ", cpuSeconds, cpuSeconds / seconds)
                + "load average \(loadBefore) before, \(Self.loadAverage()) after")
        }
        defer { if !json.isEmpty { Self.writeJSON(report, to: json) } }
        guard let arguments = peerArguments else { return }
        let peer: [String: Any]
        if let interleaved {
            peer = interleaved.peer
            swiftSweep = interleaved.swift
        } else {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [python, "Benchmarks/candidates/hnswlib_compare.py"] + arguments
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            let output = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            print("hnswlib (same vectors, same M/efConstruction, build on one thread, queries one at a time): " + String(decoding: output, as: UTF8.self))
            guard let object = try? JSONSerialization.jsonObject(with: output) as? [String: Any] else { return }
            peer = object
        }
        try? FileManager.default.removeItem(atPath: scratch + "/base.f32")

        report["hnswlib"] = peer
        var ratios: [[String: Any]] = []
        if let peerBuild = peer["build_seconds"] as? Double {
            report["build_speed_ratio"] = peerBuild / buildSeconds
            print(String(format: "build speed: %.2f× hnswlib's (one thread each)", peerBuild / buildSeconds))
        }
        if let peerCPU = peer["build_cpu_seconds"] as? Double {
            report["build_speed_ratio_cpu"] = peerCPU / buildCPUSeconds
            print(String(format: "build speed in CPU time: %.2f× hnswlib's", peerCPU / buildCPUSeconds))
        }
        if let parallel = peer["parallel_build_seconds"] as? Double, let single = peer["build_seconds"] as? Double {
            // The peer for "parallel build ≥ 1.7× one thread": the reference library's own scaling here.
            print(String(format: "hnswlib parallel build on %d threads: %.1f s (%.2f× its one-thread build)", buildThreads, parallel, single / parallel))
        }
        for (mine, theirs) in zip(swiftSweep, peer["sweep"] as? [[String: Any]] ?? []) {
            guard let e = mine["ef"] as? Int, let q = mine["qps"] as? Double, let r = mine["recall"] as? Double,
                  let pq = theirs["qps"] as? Double, let pr = theirs["recall"] as? Double else { continue }
            var ratio: [String: Any] = ["ef": e, "qps_ratio": q / pq, "recall_difference": r - pr]
            if let qc = mine["qps_cpu"] as? Double, let pqc = theirs["qps_cpu"] as? Double { ratio["qps_ratio_cpu"] = qc / pqc }
            if let qc = mine["qps_cpu"] as? Double, let pbc = theirs["qps_batch_cpu"] as? Double { ratio["qps_ratio_cpu_vs_batch"] = qc / pbc }
            ratios.append(ratio)
            print(String(format: "ef %d: QPS %.2f× hnswlib, recall %+.4f against hnswlib's", e, q / pq, r - pr))
        }
        report["ratios"] = ratios
    }

    /// One pass of every query at `ef` through `index`, one at a time as requests come: the sweep
    /// row (recall against `truth`, QPS in wall and in CPU time) and the per-query milliseconds.
    func sweep(_ index: HNSWIndex, ef e: Int, queries: [Float], truth: [[Int32]], k: Int) -> (row: [String: Any], samples: [Double]) {
        let clock = ContinuousClock()
        var samples: [Double] = []
        samples.reserveCapacity(requests)
        var found = 0
        var cpu = 0.0
        for q in 0..<requests {
            let query = Array(queries[(q * dimension)..<((q + 1) * dimension)])
            let cpuStart = Self.processCPUSeconds()
            let start = clock.now
            let result = index.search(query, k: k, ef: e, filter: .none, excluding: [])
            cpu += Self.processCPUSeconds() - cpuStart
            samples.append(start.duration(to: clock.now).inMilliseconds)
            let want = Set(truth[q])
            found += result.filter { want.contains(Int32($0.productID.dropFirst())!) }.count
        }
        let total = samples.reduce(0, +)
        let row: [String: Any] = ["ef": e, "recall": Double(found) / Double(requests * k), "qps": Double(requests) / (total / 1000), "qps_cpu": Double(requests) / cpu]
        return (row, samples)
    }

    /// Writes the vectors and the exact truth for hnswlib; returns the script's arguments (nil when
    /// `--python` is empty: no peer run).
    func writePeerFiles(matrix: [Float], queries: [Float], truth: [[Int32]], k: Int) throws -> [String]? {
        guard !python.isEmpty else { return nil }
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        let basePath = scratch + "/base.f32", queryPath = scratch + "/queries.f32", truthPath = scratch + "/truth.i32"
        try matrix.withUnsafeBytes { Data($0) }.write(to: URL(fileURLWithPath: basePath))
        try queries.withUnsafeBytes { Data($0) }.write(to: URL(fileURLWithPath: queryPath))
        let flatTruth = truth.flatMap { $0 }
        try flatTruth.withUnsafeBytes { Data($0) }.write(to: URL(fileURLWithPath: truthPath))
        return [
            "--base", basePath, "--queries", queryPath, "--truth", truthPath,
            "--dim", "\(dimension)", "--k", "\(k)", "--m", "\(m)", "--ef-construction", "\(efConstruction)", "--ef", ef, "--threads", "1",
            "--seed", "\(graphSeed)", "--parallel-threads", "\(buildThreads)",
        ]
    }

    /// The QPS comparison in rounds: hnswlib built once in a process of its own, then each round
    /// sweeps every ef on `index` and at once on hnswlib's. Per ef the ratio of each round is kept
    /// and the median reported; the returned sweeps (per-ef medians of each field) and the peer's
    /// build feed the same ratio lines as a single sweep would.
    func interleave(_ index: HNSWIndex, arguments: [String], efs: [Int], queries: [Float], truth: [[Int32]], k: Int,
                    report: inout [String: Any]) throws -> (peer: [String: Any], swift: [[String: Any]]) {
        let peer = try HNSWPeerProcess(python: python, arguments: arguments)
        guard var built = peer.readJSON() else { throw ValidationError("hnswlib_compare.py --serve printed no build line") }
        print("hnswlib built on one thread in \(String(format: "%.1f", built["build_seconds"] as? Double ?? 0)) s; \(rounds) interleaved rounds of \(requests) queries per ef")
        // One sweep of each at every ef before the timed rounds, not kept: the first sweeps after a
        // build were outliers in every series (docs/benchmarks/vector-search.md, fourth pass).
        for e in efs {
            _ = sweep(index, ef: e, queries: queries, truth: truth, k: k)
            guard peer.sweep(ef: e) != nil else { throw ValidationError("hnswlib_compare.py stopped answering") }
        }
        var rows: [[String: Any]] = []
        for round in 1...rounds {
            for e in efs {
                let row = sweep(index, ef: e, queries: queries, truth: truth, k: k).row
                guard let other = peer.sweep(ef: e) else { throw ValidationError("hnswlib_compare.py stopped answering") }
                let cpuRatio = (row["qps_cpu"] as! Double) / (other["qps_cpu"] as? Double ?? .nan)
                let batchRatio = (row["qps_cpu"] as! Double) / (other["qps_batch_cpu"] as? Double ?? .nan)
                rows.append(["round": round, "ef": e, "swift": row, "hnswlib": other, "qps_ratio_cpu": cpuRatio, "qps_ratio_cpu_vs_batch": batchRatio])
            }
            print("round \(round) of \(rounds), load average \(Self.loadAverage())")
        }
        if let last = peer.finish() { built.merge(last.filter { $0.key.hasPrefix("parallel_") }) { _, new in new } }
        report["interleaved_rounds"] = rows
        /// Per ef, the median over the rounds of each field of one library's rows ("swift" or "hnswlib").
        func medians(_ library: String) -> [[String: Any]] {
            efs.map { e in
                let sweeps = rows.filter { $0["ef"] as? Int == e }.compactMap { $0[library] as? [String: Any] }
                var row: [String: Any] = ["ef": e]
                for key in ["recall", "qps", "qps_cpu", "qps_batch", "qps_batch_cpu"] {
                    let values = sweeps.compactMap { $0[key] as? Double }.sorted()
                    if !values.isEmpty { row[key] = values[values.count / 2] }
                }
                return row
            }
        }
        for e in efs {
            let ratios = rows.filter { $0["ef"] as? Int == e }.compactMap { $0["qps_ratio_cpu_vs_batch"] as? Double }.sorted()
            guard let low = ratios.first, let high = ratios.last else { continue }
            print(String(format: "ef %d: Swift QPS ÷ hnswlib's C++ batch loop, CPU time, per round: median %.2f× (%.2f–%.2f over %d rounds)",
                         e, ratios[ratios.count / 2], low, high, ratios.count))
        }
        built["sweep"] = medians("hnswlib")
        return (built, medians("swift"))
    }

    static func writeJSON(_ object: [String: Any], to path: String) {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys]) else { return }
        guard FileManager.default.createFile(atPath: path, contents: data) else {
            FileHandle.standardError.write(Data("could not write \(path)\n".utf8))
            return
        }
        print("JSON written to \(path)")
    }

    /// The 1-, 5- and 15-minute load averages (`/proc/loadavg`), "" where unreadable.
    static func loadAverage() -> String {
        guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return "" }
        return text.split(separator: " ").prefix(3).joined(separator: " ")
    }

    /// CPU time this process has used (all threads): on a machine shared with other work it
    /// moves far less than wall time, so one-thread ratios in CPU time are the steadier ones.
    static func processCPUSeconds() -> Double {
        Double(clock()) / Double(CLOCKS_PER_SEC)
    }

    static func summary(_ samples: [Double]) -> String {
        let sorted = samples.sorted()
        func q(_ p: Double) -> Double { sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] }
        return String(format: "p50 %.3f ms, p95 %.3f ms, p99 %.3f ms (n=%d)", q(0.5), q(0.95), q(0.99), sorted.count)
    }

    /// Resident set size after handing freed heap pages back (`malloc_trim`, jemalloc's purge), so
    /// the figure is live memory, not what array doubling left behind in the allocator.
    static func residentBytes() -> Int {
        #if os(Linux)
        _ = glibcMallocTrim(0)
        // The service links jemalloc, which keeps freed pages until they decay: purge every arena
        // so temporaries freed before the measurement are not counted.
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallctl") {
            typealias MallCtl = @convention(c) (UnsafePointer<CChar>?, UnsafeMutableRawPointer?, UnsafeMutablePointer<Int>?, UnsafeMutableRawPointer?, Int) -> Int32
            _ = unsafeBitCast(symbol, to: MallCtl.self)("arena.4096.purge", nil, nil, nil, 0)
        }
        #endif
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        return fields.count > 1 ? (Int(fields[1]) ?? 0) * 4096 : 0
    }
}

extension SplitMix64 {
    /// A standard normal draw (Box–Muller): reproducible synthetic embeddings.
    mutating func gaussian() -> Float {
        let u1 = max(unitDouble(), 1e-12)
        let u2 = unitDouble()
        return Float((-2 * log(u1)).squareRoot() * cos(2 * .pi * u2))
    }
}

/// What the homepage benchmark needs to fill and size an index (both index kinds have it).
protocol ProductVectorStore {
    func upsert(_ product: Product, vector: [Float])
    var approximateBytesPerProduct: Int { get }
}

extension VectorIndex: ProductVectorStore {}

extension HNSWIndex: ProductVectorStore {
    var approximateBytesPerProduct: Int { approximateBytesPerNode }
}

#if os(Linux)
/// glibc's `malloc_trim` (declared in malloc.h, which the Glibc module does not export).
@_silgen_name("malloc_trim")
private func glibcMallocTrim(_ pad: Int) -> Int32
#endif
