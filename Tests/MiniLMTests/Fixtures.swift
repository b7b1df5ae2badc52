import Foundation
import TestSupport
import Testing

@testable import MiniLM

/// Paths to the repository, `../shared` (`SharedFolder`) and the models in them.
enum Fixtures {
    static let packageRoot = SharedFolder.repositoryRoot
    static let shared = SharedFolder.url
    static let crossEncoderDirectory = packageRoot.appendingPathComponent("models/retail-reranker")
    static let biEncoderDirectory = packageRoot.appendingPathComponent(".models/all-MiniLM-L6-v2")
    static let vocabulary = crossEncoderDirectory.appendingPathComponent("vocab.txt")

    static var biEncoderPresent: Bool {
        FileManager.default.fileExists(atPath: biEncoderDirectory.appendingPathComponent("model.safetensors").path)
    }
    static var sharedPresent: Bool {
        FileManager.default.fileExists(atPath: shared.appendingPathComponent("models/fixtures").path)
    }

    struct PairCase: Decodable {
        var query: String
        var document: String
        /// What the shared fixtures say a pair exercises; the exported-model fixtures carry none.
        var kind: String?
        var input_ids: [Int32]
        var token_type_ids: [Int32]
        var logit: Float
    }

    struct TextCase: Decodable {
        var text: String
        var kind: String
        var input_ids: [Int32]
        var embedding: [Float]
    }

    struct File<Case: Decodable>: Decodable {
        var cases: [Case]
    }

    static func pairs() throws -> [PairCase] {
        let url = shared.appendingPathComponent("models/fixtures/cross_encoder_pairs.json")
        return try JSONDecoder().decode(File<PairCase>.self, from: Data(contentsOf: url)).cases
    }

    static func texts() throws -> [TextCase] {
        let url = shared.appendingPathComponent("models/fixtures/bi_encoder_texts.json")
        return try JSONDecoder().decode(File<TextCase>.self, from: Data(contentsOf: url)).cases
    }

    /// Loaded once for all tests (loading hashes and converts ~45 MB).
    static let crossEncoder: CrossEncoder? = try? CrossEncoder(modelDirectory: crossEncoderDirectory)
    static let biEncoder: BiEncoder? = biEncoderPresent ? try? BiEncoder(modelDirectory: biEncoderDirectory) : nil
}
