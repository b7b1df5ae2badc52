import Foundation
import TestSupport
import Testing

@testable import MiniLM

/// `models/retail-reranker/reference_pairs.json` is written by the trainer's exporter
/// (`training/train.py`, `write_reference`) from the very weights it exports: PyTorch logits of
/// the float16 tensors upcast to float32. A model replaced without regenerating it, or a loader
/// that reads the exported layout differently, fails here (no `../shared` needed).
@Suite("The shipped cross-encoder against the trainer's reference outputs", .ownThreads)
struct ShippedModelReferenceTests {
    struct Meta: Decodable {
        var model_sha256: String
    }

    struct File: Decodable {
        var meta: Meta
        var cases: [Fixtures.PairCase]
    }

    @Test func tokensAndLogitsMatchTheExportersReferenceWithin1e3() throws {
        let url = Fixtures.crossEncoderDirectory.appendingPathComponent("reference_pairs.json")
        let file = try JSONDecoder().decode(File.self, from: Data(contentsOf: url))
        let model = try #require(Fixtures.crossEncoder, "models/retail-reranker must load")
        #expect(model.modelVersion.hasSuffix("@" + file.meta.model_sha256.prefix(12)), "fixture written for another model file")
        #expect(file.cases.count >= 32)
        var worst: Float = 0
        for item in file.cases {
            let sequence = model.tokenize(query: item.query, document: item.document)
            #expect(sequence.inputIDs == item.input_ids, "\(item.query) | \(item.document)")
            #expect(sequence.tokenTypeIDs == item.token_type_ids)
        }
        let logits = model.score(pairs: file.cases.map { (query: $0.query, document: $0.document) })
        for (item, logit) in zip(file.cases, logits) {
            worst = max(worst, abs(logit - item.logit))
            #expect(abs(logit - item.logit) <= 1e-3, "\(item.query) | \(item.document): \(logit) vs \(item.logit)")
        }
        print("shipped cross-encoder: max |logit − exporter reference| = \(worst) over \(file.cases.count) pairs")
    }
}
