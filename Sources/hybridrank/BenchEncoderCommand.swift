import ArgumentParser
import Domain
import Evaluation
import Foundation
import MiniLM

/// `hybridrank bench encoder`: speed of the MiniLM cross-encoder (one rerank request: 20 pairs of
/// about 35 tokens; and one query against 20 documents, with and without the first layer sharing
/// the query's rows) and bi-encoder (256 product titles), at 1 and 2 BLAS threads, next to the
/// sgemm peak measured on the same shapes.
///
/// Workload (the same as `Benchmarks/encoder/compare.py`): the first 20 cases of
/// `../shared/models/fixtures/cross_encoder_pairs.json` whose encoding has 30–40 tokens, and the
/// first 256 product names of `../shared/data/online-retail/products.csv.gz`.
struct BenchEncoderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "encoder",
        abstract: "Benchmark the MiniLM cross-encoder and bi-encoder (median latency, pairs/s, GFLOP/s)."
    )

    @OptionGroup var output: JSONOutput

    @Option(help: "BLAS threads to measure (repeat for several); default 1 and 2.")
    var threads: [Int] = []

    @Option(help: "Timed runs per measurement (the median is reported).")
    var runs: Int = 30

    @OptionGroup var crossEncoder: CrossEncoderModel

    @Option(help: "Bi-encoder directory (skipped when absent).")
    var biModel: String = ".models/all-MiniLM-L6-v2"

    @Option(help: "The shared data directory (fixtures and products).")
    var shared: String = "../shared"
    @Flag(help: """
        Load the cross-encoder once, then answer each stdin line "THREADS RUNS" with {"median_ms": …} \
        for RUNS calls on the 20-pair workload (Benchmarks/encoder/compare.py --swift uses this to \
        interleave the runtimes in short rounds on a noisy machine).
        """)
    var stdinDriven = false

    func validate() throws {
        if runs < 1 { throw ValidationError("--runs must be at least 1") }
        if threads.contains(where: { $0 < 1 }) { throw ValidationError("--threads must be at least 1") }
    }

    /// The `--stdin-driven` loop: one answer line per request line, flushed at once.
    private func runStdinDriven() throws {
        let pairs = try Self.benchmarkPairs(shared: shared)
        let cross = try CrossEncoder(modelDirectory: crossEncoder.directory, threads: 1)
        while let line = readLine() {
            let fields = line.split(separator: " ").compactMap { Int($0) }
            guard fields.count == 2, fields[0] >= 1, fields[1] >= 1 else {
                FileHandle.standardOutput.write(Data(#"{"error": "expected a line \"THREADS RUNS\""}"#.utf8 + [0x0A]))
                continue
            }
            let times = Self.time(runs: fields[1]) { _ = cross.score(pairs: pairs, threads: fields[0]) }
            FileHandle.standardOutput.write(Data(#"{"median_ms": \#(times[times.count / 2] * 1000)}"#.utf8 + [0x0A]))
        }
    }

    struct Measurement: Encodable {
        var workload: String
        var threads: Int
        var items: Int
        var tokens: Int
        var median_ms: Double
        var p90_ms: Double
        var items_per_second: Double
        var tokens_per_second: Double
        var gflops: Double
        var sgemm_peak_gflops: Double
        var fraction_of_sgemm_peak: Double
    }

    struct Report: Encodable {
        var pairs_per_second: Double
        var tokens_per_second: Double
        var gflops: Double
        var median_ms: Double
        var threads: Int
        var titles_per_second: Double?
        var model_version: String
        var blas: String
        var fp32_weights_mb: Double
        var rss_after_cross_encoder_load_mb: Double
        var peak_rss_after_cross_encoder_load_mb: Double
        var measurements: [Measurement]
    }

    func run() throws {
        if stdinDriven { return try runStdinDriven() }
        let threadCounts = threads.isEmpty ? [1, 2] : threads
        let pairs = try Self.benchmarkPairs(shared: shared)
        let titles = Self.productTitles(shared: shared, count: 256)

        let cross = try CrossEncoder(modelDirectory: crossEncoder.directory, threads: 1)
        let memoryAfterLoad = Self.memoryMegabytes()
        let fp32Megabytes = Double(cross.parameterCount * 4) / 1_048_576
        let bi: BiEncoder? =
            FileManager.default.fileExists(atPath: biModel + "/model.safetensors")
            ? try BiEncoder(modelDirectory: URL(fileURLWithPath: biModel), threads: 1) : nil
        if bi == nil && !output.json {
            print("note: \(biModel) absent (run scripts/fetch-models.sh); bi-encoder skipped")
        }

        var measurements: [Measurement] = []
        for count in threadCounts {
            let crossAtThreads = try CrossEncoder(modelDirectory: crossEncoder.directory, threads: count)
            let sequences = pairs.map { crossAtThreads.tokenize(query: $0.query, document: $0.document) }
            let tokens = sequences.reduce(0) { $0 + $1.count }
            let flops = crossAtThreads.flops(for: sequences)
            let times = Self.time(runs: runs) { _ = crossAtThreads.score(pairs: pairs) }
            let peak = SGEMMPeak.measure(configuration: cross.configuration, tokens: tokens, threads: count, repetitions: runs)
            measurements.append(Self.measurement("cross-encoder 20 pairs", count, pairs.count, tokens, flops, times, peak))

            // A homepage rerank's shape: one query (five product names) against 20 documents, with
            // and without layer 0 sharing the query's rows, timed alternately.
            let unshared = try CrossEncoder(modelDirectory: crossEncoder.directory, threads: count, sharesQueryPrefix: false)
            let rerankPairs = Self.oneQueryPairs(titles: titles)
            let rerankSequences = rerankPairs.map { crossAtThreads.tokenize(query: $0.query, document: $0.document) }
            let rerankTokens = rerankSequences.reduce(0) { $0 + $1.count }
            let rerankFlops = crossAtThreads.flops(for: rerankSequences)
            let (sharedTimes, unsharedTimes) = Self.timeAlternately(
                runs: runs, { _ = crossAtThreads.score(pairs: rerankPairs) }, { _ = unshared.score(pairs: rerankPairs) })
            let rerankPeak = SGEMMPeak.measure(configuration: cross.configuration, tokens: rerankTokens, threads: count, repetitions: runs)
            measurements.append(Self.measurement("1 query x 20, shared", count, rerankPairs.count, rerankTokens, rerankFlops, sharedTimes, rerankPeak))
            measurements.append(Self.measurement("1 query x 20, unshared", count, rerankPairs.count, rerankTokens, rerankFlops, unsharedTimes, rerankPeak))

            if let bi {
                let biAtThreads = try BiEncoder(modelDirectory: URL(fileURLWithPath: biModel), threads: count)
                let biSequences = titles.map(biAtThreads.tokenize)
                let biTokens = biSequences.reduce(0) { $0 + $1.count }
                let biFlops = biAtThreads.flops(for: biSequences)
                let biTimes = Self.time(runs: runs) { _ = biAtThreads.embed(titles) }
                let biPeak = SGEMMPeak.measure(configuration: bi.configuration, tokens: min(biTokens, 2048), threads: count, repetitions: runs)
                measurements.append(Self.measurement("bi-encoder 256 titles", count, titles.count, biTokens, biFlops, biTimes, biPeak))
            }
        }

        let primary = measurements.last { $0.workload.hasPrefix("cross") }!
        let titlesPrimary = measurements.last { $0.workload.hasPrefix("bi") }
        if output.json {
            let report = Report(
                pairs_per_second: primary.items_per_second, tokens_per_second: primary.tokens_per_second,
                gflops: primary.gflops, median_ms: primary.median_ms, threads: primary.threads,
                titles_per_second: titlesPrimary?.items_per_second, model_version: cross.modelVersion,
                blas: BLASThreading.libraryDescription, fp32_weights_mb: fp32Megabytes,
                rss_after_cross_encoder_load_mb: memoryAfterLoad.current, peak_rss_after_cross_encoder_load_mb: memoryAfterLoad.peak,
                measurements: measurements)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
            return
        }
        print("BLAS: \(BLASThreading.libraryDescription)")
        print("cross-encoder \(cross.modelVersion): fp32 weights \(Self.format(fp32Megabytes)) MB, "
            + "RSS after load \(Self.format(memoryAfterLoad.current)) MB (peak \(Self.format(memoryAfterLoad.peak)) MB)")
        print("workload                 threads  items  tokens  median ms   p90 ms   items/s  tokens/s  GFLOP/s  sgemm peak  of peak")
        for m in measurements {
            print(
                [
                    m.workload.padding(toLength: 24, withPad: " ", startingAt: 0), Self.pad(m.threads, 7), Self.pad(m.items, 6),
                    Self.pad(m.tokens, 7), Self.pad(m.median_ms, 10), Self.pad(m.p90_ms, 8), Self.pad(m.items_per_second, 9),
                    Self.pad(m.tokens_per_second, 9), Self.pad(m.gflops, 8), Self.pad(m.sgemm_peak_gflops, 11),
                    Self.pad(m.fraction_of_sgemm_peak * 100, 7) + "%",
                ].joined(separator: " "))
        }
    }

    // MARK: - Workload

    struct PairCase: Decodable {
        var query: String
        var document: String
        var input_ids: [Int]
    }

    struct FixtureFile: Decodable {
        var cases: [PairCase]
    }

    /// The first 20 fixture pairs whose encoding has 30–40 tokens (one rerank request's worth).
    static func benchmarkPairs(shared: String) throws -> [(query: String, document: String)] {
        let url = URL(fileURLWithPath: shared).appendingPathComponent("models/fixtures/cross_encoder_pairs.json")
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw ValidationError("cannot read the fixture pairs under --shared")
        }
        let cases = try JSONDecoder().decode(FixtureFile.self, from: data).cases
        return cases.filter { (30...40).contains($0.input_ids.count) }.prefix(20).map { (query: $0.query, document: $0.document) }
    }

    /// One homepage rerank as the service builds it: the query joins five product names with " ; "
    /// (a shopper with five recent purchases, as the input contract says), the documents are the
    /// next 20 names.
    static func oneQueryPairs(titles: [String]) -> [(query: String, document: String)] {
        let query = titles.prefix(5).joined(separator: " ; ")
        return titles.dropFirst(5).prefix(20).map { (query: query, document: $0) }
    }

    /// The first `count` product names of products.csv.gz (read as the offline commands read
    /// it), or a small built-in list repeated when the data is not there.
    static func productTitles(shared: String, count: Int) -> [String] {
        let url = URL(fileURLWithPath: shared).appendingPathComponent("data/online-retail/products.csv.gz")
        var names = ((try? RetailDataset.loadProducts(catalog: url)) ?? []).prefix(count).map(\.name)
        if names.count < count {
            let fallback = [
                "WHITE HANGING HEART T-LIGHT HOLDER", "REGENCY CAKESTAND 3 TIER", "JUMBO BAG RED RETROSPOT",
                "PARTY BUNTING", "LUNCH BAG RED RETROSPOT", "ASSORTED COLOUR BIRD ORNAMENT",
                "SET OF 3 CAKE TINS PANTRY DESIGN", "PACK OF 72 RETROSPOT CAKE CASES",
            ]
            while names.count < count { names.append(fallback[names.count % fallback.count]) }
        }
        return names
    }

    // MARK: - Measuring

    /// Seconds of each of `runs` timed calls, after 3 warm-up calls.
    static func time(runs: Int, _ body: () -> Void) -> [Double] {
        for _ in 0..<3 { body() }
        return (0..<runs).map { _ in seconds(body) }.sorted()
    }

    /// `time` for two bodies, one call of each in turn, so both see the same machine.
    static func timeAlternately(runs: Int, _ first: () -> Void, _ second: () -> Void) -> ([Double], [Double]) {
        for _ in 0..<3 {
            first()
            second()
        }
        var times: ([Double], [Double]) = ([], [])
        for _ in 0..<runs {
            times.0.append(seconds(first))
            times.1.append(seconds(second))
        }
        return (times.0.sorted(), times.1.sorted())
    }

    /// Wall-clock seconds of one call of `body`.
    static func seconds(_ body: () -> Void) -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    static func measurement(
        _ workload: String, _ threads: Int, _ items: Int, _ tokens: Int, _ flops: (dense: Double, attention: Double),
        _ times: [Double], _ peak: Double
    ) -> Measurement {
        let median = times[times.count / 2]
        let p90 = times[min(times.count - 1, Int(Double(times.count) * 0.9))]
        let gflops = (flops.dense + flops.attention) / median / 1e9
        return Measurement(
            workload: workload, threads: threads, items: items, tokens: tokens, median_ms: median * 1000, p90_ms: p90 * 1000,
            items_per_second: Double(items) / median, tokens_per_second: Double(tokens) / median, gflops: gflops,
            sgemm_peak_gflops: peak, fraction_of_sgemm_peak: (flops.dense / median / 1e9) / peak)
    }

    /// Current and peak resident memory from /proc/self/status (0 where unavailable).
    static func memoryMegabytes() -> (current: Double, peak: Double) {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return (0, 0) }
        func value(_ key: String) -> Double {
            for line in status.split(separator: "\n") where line.hasPrefix(key) {
                let digits = line.split(separator: " ").compactMap { Double($0) }
                return (digits.first ?? 0) / 1024
            }
            return 0
        }
        return (value("VmRSS:"), value("VmHWM:"))
    }

    static func format(_ value: Double) -> String { String(format: "%.1f", value) }
    static func pad(_ value: Double, _ width: Int) -> String {
        let text = String(format: value >= 100 ? "%.0f" : "%.2f", value)
        return String(repeating: " ", count: max(0, width - text.count)) + text
    }
    static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: " ", count: max(0, width - text.count)) + text
    }
}
