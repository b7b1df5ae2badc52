import Foundation

/// A Hugging Face BERT model directory (`config.json`, `vocab.txt`, `model.safetensors`, optionally
/// `tokenizer_config.json`) loaded into an encoder, a tokenizer and a version string.
struct BertModelDirectory {
    let encoder: BertEncoder
    let tokenizer: WordPieceTokenizer
    /// `<directory name>@<first 12 hex digits of the safetensors file's SHA-256>`.
    let modelVersion: String

    init(url: URL) throws {
        let configuration = try BertConfiguration(contentsOf: url.appendingPathComponent("config.json"))
        tokenizer = try WordPieceTokenizer(
            vocabularyURL: url.appendingPathComponent("vocab.txt"), lowercase: Self.lowercase(in: url))
        let weights: BertWeights
        let digest: String
        do {
            let file = try SafetensorsFile(url: url.appendingPathComponent("model.safetensors"))
            weights = try BertWeights(file: file, configuration: configuration)
            digest = file.sha256Hex()
        }
        encoder = BertEncoder(configuration: configuration, weights: weights)
        let name = url.standardizedFileURL.lastPathComponent
        modelVersion = "\(name)@\(digest.prefix(12))"
    }

    /// `do_lower_case` from `tokenizer_config.json` (true when absent, as for uncased BERT).
    private static func lowercase(in url: URL) -> Bool {
        guard let data = try? Data(contentsOf: url.appendingPathComponent("tokenizer_config.json")),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let flag = object["do_lower_case"] as? Bool
        else { return true }
        return flag
    }
}
