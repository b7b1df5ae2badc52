import Foundation

/// A sentence-transformers bi-encoder (all-MiniLM-L6-v2 by default): `[CLS] text [SEP]`, at most
/// `maxLength` tokens, mean pooling over all tokens, L2 normalisation.
///
/// Thread-safe: any number of threads may call `embed` at once; each call borrows its own
/// preallocated workspace from a small pool. Calls block (run them on a thread pool, never an event
/// loop). See `BLASThreading` for how `threads` shares the machine's cores.
public final class BiEncoder: Sendable {
    /// Size of each embedding (the model's hidden size, 384 for MiniLM).
    public let dimension: Int
    /// `<directory name>@<12 hex digits of the weights' SHA-256>`, e.g. `all-MiniLM-L6-v2@53aa5117…`.
    public let modelVersion: String
    /// Longest input in tokens, specials included (sentence-transformers' `max_seq_length`).
    public let maxLength: Int
    /// BLAS threads used by each call.
    public let threads: Int
    public let tokenizer: WordPieceTokenizer
    let encoder: BertEncoder

    /// The architecture read from `config.json`.
    public var configuration: BertConfiguration { encoder.configuration }
    /// Number of weights held in memory as Float (×4 = bytes of the fp32 weights).
    public var parameterCount: Int { encoder.weights.parameterCount }

    /// Loads a model directory with `config.json`, `vocab.txt` and `model.safetensors`.
    /// - Parameters:
    ///   - threads: BLAS threads per call (see `BLASThreading`).
    ///   - maxLength: 256 for all-MiniLM-L6-v2; `sentence_bert_config.json` overrides it when present.
    public init(modelDirectory: URL, threads: Int = 1, maxLength: Int = 256) throws {
        let directory = try BertModelDirectory(url: modelDirectory)
        encoder = directory.encoder
        tokenizer = directory.tokenizer
        modelVersion = directory.modelVersion
        dimension = encoder.configuration.hiddenSize
        self.threads = max(1, threads)
        var length = maxLength
        if let data = try? Data(contentsOf: modelDirectory.appendingPathComponent("sentence_bert_config.json")),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let configured = object["max_seq_length"] as? Int
        {
            length = configured
        }
        self.maxLength = min(max(2, length), encoder.configuration.maxPositionEmbeddings)
    }

    /// The tokenized input for `text`, as `embed` builds it.
    public func tokenize(_ text: String) -> TokenizedSequence {
        tokenizer.encode(text, maxLength: maxLength)
    }

    /// L2-normalised embeddings, one per text, in order. An empty text embeds `[CLS] [SEP]`.
    public func embed(_ texts: [String]) -> [[Float]] {
        embed(sequences: texts.map(tokenize))
    }

    /// Embeddings of already tokenized inputs (as `tokenize` makes them).
    public func embed(sequences: [TokenizedSequence]) -> [[Float]] {
        embed(sequences: sequences, threads: threads)
    }

    func embed(sequences: [TokenizedSequence], threads: Int) -> [[Float]] {
        let H = dimension
        var output = [[Float]](repeating: [], count: sequences.count)
        output.withUnsafeMutableBufferPointer { outputBuffer in
        let results = outputBuffer.baseAddress!  // disjoint indices per call; see BertEncoder.encode
        encoder.encode(sequences, threads: threads) { range, offsets, workspace in
            for (position, index) in range.enumerated() {
                let length = sequences[index].count
                let rows = workspace.hidden + offsets[position] * H
                results[index] = [Float](unsafeUninitializedCapacity: H) { buffer, initialized in
                    for j in 0..<H { buffer[j] = 0 }
                    for t in 0..<length {
                        let r = rows + t * H
                        for j in 0..<H { buffer[j] += r[j] }
                    }
                    var norm: Float = 0
                    for j in 0..<H {
                        buffer[j] /= Float(length)
                        norm += buffer[j] * buffer[j]
                    }
                    // sentence-transformers' Normalize: x / max(‖x‖, 1e-12).
                    let inverse = 1 / max(norm.squareRoot(), 1e-12)
                    for j in 0..<H { buffer[j] *= inverse }
                    initialized = H
                }
            }
        }
        }
        return output
    }

    /// Floating-point operations of one `embed(sequences:)` call (dense layers plus attention).
    public func flops(for sequences: [TokenizedSequence]) -> (dense: Double, attention: Double) {
        (
            encoder.denseFLOPs(tokens: sequences.reduce(0) { $0 + $1.count }, sequences: sequences.count, clsOnly: false),
            encoder.attentionFLOPs(lengths: sequences.map(\.count), clsOnly: false)
        )
    }
}
