import Foundation
import TestSupport
import Testing

@testable import MiniLM

/// The trainer's exporter and this loader agree on the layout: `training/fixtures/tiny_cross_encoder.json` holds a
/// tiny random cross-encoder written by `training/tiny_fixture.py` through the exporter's tensor
/// writer (float16 safetensors, the BertForSequenceClassification names), with PyTorch's token ids
/// and fp32 logits. The test writes the model directory and must reproduce them.
@Suite("Exported model files round-trip into the Swift encoder", .ownThreads)
struct ExportRoundTripTests {
    struct Meta: Decodable {
        var max_length: Int
    }

    struct TinyModel: Decodable {
        var meta: Meta
        var vocab: [String]
        var model_safetensors_base64: String
        var cases: [Fixtures.PairCase]
    }

    static let fixtureURL = Fixtures.packageRoot.appendingPathComponent("training/fixtures/tiny_cross_encoder.json")

    /// Writes config.json, vocab.txt and model.safetensors of the fixture into a fresh directory.
    static func writeModel(_ tiny: TinyModel, config: Data) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tiny-cross-encoder-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try config.write(to: directory.appendingPathComponent("config.json"))
        try (tiny.vocab.joined(separator: "\n") + "\n").write(to: directory.appendingPathComponent("vocab.txt"), atomically: true, encoding: .utf8)
        let weights = try #require(Data(base64Encoded: tiny.model_safetensors_base64))
        try weights.write(to: directory.appendingPathComponent("model.safetensors"))
        return directory
    }

    @Test func aTinyExportedModelGivesPyTorchsTokensAndLogits() throws {
        let data = try Data(contentsOf: Self.fixtureURL)
        let tiny = try JSONDecoder().decode(TinyModel.self, from: data)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let config = try JSONSerialization.data(withJSONObject: try #require(object["config"]))
        let directory = try Self.writeModel(tiny, config: config)
        defer { try? FileManager.default.removeItem(at: directory) }

        let model = try CrossEncoder(modelDirectory: directory, maxLength: tiny.meta.max_length)
        #expect(model.configuration.numHiddenLayers == 2 && model.configuration.hiddenSize == 16)
        #expect(tiny.cases.count >= 6)
        for item in tiny.cases {
            let sequence = model.tokenize(query: item.query, document: item.document)
            #expect(sequence.inputIDs == item.input_ids, "\(item.query) | \(item.document)")
            #expect(sequence.tokenTypeIDs == item.token_type_ids)
        }
        // At least one pair is cut to the maximum length (longest_first) on both sides.
        #expect(tiny.cases.contains { $0.input_ids.count == tiny.meta.max_length })
        let logits = model.score(pairs: tiny.cases.map { (query: $0.query, document: $0.document) })
        for (item, logit) in zip(tiny.cases, logits) {
            #expect(abs(logit - item.logit) <= 1e-3, "\(item.query) | \(item.document): \(logit) vs \(item.logit)")
        }
        // The logits differ by more than the tolerance, so a mixed-up tensor would show.
        #expect((tiny.cases.map(\.logit).max() ?? 0) - (tiny.cases.map(\.logit).min() ?? 0) > 0.01)
    }
}
