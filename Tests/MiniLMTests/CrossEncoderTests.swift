import Foundation
import TestSupport
import Testing

@testable import MiniLM

@Suite("Cross-encoder logits against the Python reference", .ownThreads)
struct CrossEncoderTests {
    @Test("Every fixture logit within 1e-3, and every query's candidates in the same order",
        .enabled(if: Fixtures.sharedPresent, "needs ../shared"))
    func logitsMatchReference() throws {
        let model = try #require(Fixtures.crossEncoder, "models/retail-reranker must load")
        let cases = try Fixtures.pairs()
        let logits = model.score(pairs: cases.map { (query: $0.query, document: $0.document) })
        #expect(logits.count == cases.count)
        var worst: Float = 0
        for (item, logit) in zip(cases, logits) {
            worst = max(worst, abs(logit - item.logit))
            #expect(abs(logit - item.logit) <= 1e-3, "pair kind \(item.kind ?? "-"): \(logit) vs \(item.logit)")
        }
        print("cross-encoder: max |logit − reference| = \(worst) over \(cases.count) pairs")

        var byQuery: [String: [Int]] = [:]
        for (index, item) in cases.enumerated() { byQuery[item.query, default: []].append(index) }
        for (_, indices) in byQuery where indices.count > 1 {
            let reference = indices.sorted { cases[$0].logit > cases[$1].logit }
            let ours = indices.sorted { logits[$0] > logits[$1] }
            #expect(reference == ours)
        }
    }

    @Test("Scoring one pair alone equals scoring it inside a packed batch", .enabled(if: Fixtures.sharedPresent, "needs ../shared"))
    func batchingDoesNotChangeLogits() throws {
        let model = try #require(Fixtures.crossEncoder)
        let cases = Array(try Fixtures.pairs().prefix(12))
        let batched = model.score(pairs: cases.map { (query: $0.query, document: $0.document) })
        for (index, item) in cases.enumerated() where index % 4 == 0 {
            let single = model.score(pairs: [(query: item.query, document: item.document)])
            #expect(abs(single[0] - batched[index]) <= 1e-5)
        }
        let sameQuery = model.score(query: cases[0].query, documents: cases.map(\.document))
        let pairs = model.score(pairs: cases.map { (query: cases[0].query, document: $0.document) })
        #expect(zip(sameQuery, pairs).allSatisfy { abs($0 - $1) <= 1e-5 })
    }

    @Test("One query against many documents: the shared first-layer prefix matches the reference and the unshared path",
        .enabled(if: Fixtures.sharedPresent, "needs ../shared"))
    func sharedQueryPrefixIsExact() throws {
        let model = try #require(Fixtures.crossEncoder)
        let unshared = try CrossEncoder(modelDirectory: Fixtures.crossEncoderDirectory, sharesQueryPrefix: false)
        let cases = try Fixtures.pairs()
        var byQuery: [String: [Fixtures.PairCase]] = [:]
        for item in cases { byQuery[item.query, default: []].append(item) }
        var checkedBatches = 0
        for (query, group) in byQuery where group.count >= 3 {
            let sequences = group.map { model.tokenize(query: query, document: $0.document) }
            // The path under test must actually be taken: a long common prefix and enough rows.
            let prefix = BertEncoder.commonPrefixLength(sequences[...])
            #expect(BertEncoder.worthSharing(prefix: prefix, sequences: sequences.count, configuration: model.configuration) > 0)
            let shared = model.score(sequences: sequences, threads: 1)
            let reference = unshared.score(sequences: sequences, threads: 1)
            for (index, item) in group.enumerated() {
                #expect(abs(shared[index] - item.logit) <= 1e-3, "\(query) | \(item.document)")
                #expect(abs(shared[index] - reference[index]) <= 1e-5)
            }
            checkedBatches += 1
        }
        #expect(checkedBatches >= 3)

        // A query truncated differently per pair (longest_first against documents of different
        // lengths) and two threads: the common prefix is shorter than the query, still exact.
        let longQuery = cases.prefix(3).map(\.query).joined(separator: " ; ")
        let documents = cases.prefix(24).enumerated().map { index, item in
            String(repeating: item.document + " ", count: 1 + index % 6)
        }
        let truncated = documents.map { model.tokenize(query: longQuery, document: $0) }
        #expect(Set(truncated.map(\.count)).count > 1)
        for threads in [1, 2] {
            let shared = model.score(sequences: truncated, threads: threads)
            let reference = unshared.score(sequences: truncated, threads: threads)
            #expect(zip(shared, reference).allSatisfy { abs($0 - $1) <= 1e-5 })
        }
    }

    @Test("The common prefix covers ids and segments and needs two sequences; sharing needs enough rows")
    func commonPrefixRules() throws {
        func sequence(_ ids: [Int32], _ types: [Int32]? = nil) -> TokenizedSequence {
            TokenizedSequence(inputIDs: ids, tokenTypeIDs: types ?? ids.map { _ in 0 })
        }
        let a = sequence([101, 7, 8, 9, 102, 5, 102])
        let b = sequence([101, 7, 8, 9, 102, 6, 6, 102])
        #expect(BertEncoder.commonPrefixLength([a, b][...]) == 5)
        #expect(BertEncoder.commonPrefixLength([a][...]) == 0)
        #expect(BertEncoder.commonPrefixLength([a, a][...]) == a.count)
        #expect(BertEncoder.commonPrefixLength([a, sequence([101, 7, 8, 9], [0, 0, 1, 1])][...]) == 2)
        #expect(BertEncoder.commonPrefixLength([a, b, sequence([102, 7])][...]) == 0)
        let configuration = try #require(Fixtures.crossEncoder).configuration
        #expect(BertEncoder.worthSharing(prefix: 5, sequences: 2, configuration: configuration) == 0)
        #expect(BertEncoder.worthSharing(prefix: 8, sequences: 5, configuration: configuration) == 8)
        #expect(BertEncoder.worthSharing(prefix: 0, sequences: 20, configuration: configuration) == 0)
    }

    @Test("Splitting a batch over two threads gives the single-thread logits", .enabled(if: Fixtures.sharedPresent, "needs ../shared"))
    func parallelSplitMatchesSerial() throws {
        let model = try #require(Fixtures.crossEncoder)
        let sequences = try Fixtures.pairs().prefix(40).map { model.tokenize(query: $0.query, document: $0.document) }
        let serial = model.score(sequences: Array(sequences), threads: 1)
        let parallel = model.score(sequences: Array(sequences), threads: 2)
        #expect(parallel.count == serial.count)
        #expect(zip(serial, parallel).allSatisfy { abs($0 - $1) <= 1e-5 })
    }

    @Test("Edge inputs score to finite logits without crashing")
    func edgeInputs() throws {
        let model = try #require(Fixtures.crossEncoder, "models/retail-reranker must load")
        let long = String(repeating: "regency cakestand three tier ", count: 400)
        let invalid = String(decoding: [0x43, 0xC3, 0x28, 0xFF, 0x20, 0x4D, 0x55, 0x47] as [UInt8], as: UTF8.self)
        let logits = model.score(pairs: [
            (query: "", document: ""), (query: "   \t\n ", document: "mug"), (query: long, document: long),
            (query: invalid, document: invalid), (query: "🎄🎁✨", document: "東京 タワー 🗼"),
        ])
        #expect(logits.count == 5)
        #expect(logits.allSatisfy { $0.isFinite })
        #expect(model.tokenize(query: long, document: long).count == 128)
        #expect(model.score(pairs: []).isEmpty)
    }

    @Test("The model version names the directory and the weights' SHA-256")
    func modelVersion() throws {
        let model = try #require(Fixtures.crossEncoder)
        // models/retail-reranker/README.md states sha256 d67a0c626301d286… for model.safetensors.
        #expect(model.modelVersion == "retail-reranker@d67a0c626301")
    }

    @Test("Concurrent callers get a single caller's logits, to a float's rounding", .enabled(if: Fixtures.sharedPresent, "needs ../shared"))
    func concurrentCalls() async throws {
        let model = try #require(Fixtures.crossEncoder)
        let cases = Array(try Fixtures.pairs().prefix(8))
        let pairs = cases.map { (query: $0.query, document: $0.document) }
        let expected = model.score(pairs: pairs)
        let results = await withTaskGroup(of: [Float].self) { group in
            for _ in 0..<4 { group.addTask { model.score(pairs: pairs) } }
            var all: [[Float]] = []
            for await result in group { all.append(result) }
            return all
        }
        #expect(results.count == 4)
        // Equal to a float's rounding, not bit for bit: OpenBLAS's thread count is one
        // process-wide setting (`BLASThreading`), and a call that overlaps another one asking for
        // two threads (another test here, a server's latency call) may run its products on a
        // different number of BLAS threads and sum in another order — one logit in 8 came out
        // 1 ulp apart in a CI run. A shared workspace or a data race would be off by far more.
        for result in results {
            #expect(result.count == expected.count)
            #expect(zip(result, expected).allSatisfy { abs($0 - $1) <= 1e-5 }, "\(result) vs \(expected)")
        }
    }
}
