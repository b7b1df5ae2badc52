import Foundation

/// A BERT cross-encoder (`BertForSequenceClassification` with one label, e.g. the bundled
/// `retail-reranker` or cross-encoder/ms-marco-MiniLM-L-6-v2): `[CLS] query [SEP] document [SEP]`,
/// at most 128 tokens, `[CLS]` → pooler (dense + tanh) → classifier → raw logit.
///
/// Thread-safe: any number of threads may call `score` at once; each call borrows its own
/// preallocated workspace from a small pool. Calls block (run them on a thread pool, never an event
/// loop). See `BLASThreading` for how `threads` shares the machine's cores.
public final class CrossEncoder: Sendable {
    /// `<directory name>@<12 hex digits of the weights' SHA-256>`, e.g. `retail-reranker@d67a0c626301`.
    public let modelVersion: String
    /// Longest pair in tokens, specials included.
    public let maxLength: Int
    /// BLAS threads used by each call.
    public let threads: Int
    public let tokenizer: WordPieceTokenizer
    let encoder: BertEncoder

    /// The architecture read from `config.json`.
    public var configuration: BertConfiguration { encoder.configuration }
    /// Number of weights held in memory as Float (×4 = bytes of the fp32 weights).
    public var parameterCount: Int { encoder.weights.parameterCount }

    /// Loads a model directory with `config.json`, `vocab.txt` and `model.safetensors` holding a
    /// pooler and a `classifier.weight`/`classifier.bias` (with or without the `bert.` prefix).
    ///
    /// `sharesQueryPrefix` (default on) lets the first layer project the `[CLS] query [SEP]` rows
    /// once for a batch of pairs with the same query, which is exact; turn it off only to measure
    /// what it saves.
    public init(modelDirectory: URL, threads: Int = 1, maxLength: Int = 128, sharesQueryPrefix: Bool = true) throws {
        let directory = try BertModelDirectory(url: modelDirectory)
        guard directory.encoder.weights.pooler != nil else { throw MiniLMError(.missingTensor, file: "bert.pooler.dense.weight") }
        guard directory.encoder.weights.classifier != nil else { throw MiniLMError(.missingTensor, file: "classifier.weight") }
        encoder =
            sharesQueryPrefix
            ? directory.encoder
            : BertEncoder(configuration: directory.encoder.configuration, weights: directory.encoder.weights, sharesPrefix: false)
        tokenizer = directory.tokenizer
        modelVersion = directory.modelVersion
        self.threads = max(1, threads)
        self.maxLength = min(max(3, maxLength), encoder.configuration.maxPositionEmbeddings)
    }

    /// The tokenized input for a pair, as `score` builds it.
    public func tokenize(query: String, document: String) -> TokenizedSequence {
        tokenizer.encodePair(query, document, maxLength: maxLength)
    }

    /// Raw logits (no sigmoid), one per pair, in order; higher = more relevant.
    public func score(pairs: [(query: String, document: String)]) -> [Float] {
        score(pairs: pairs, threads: threads)
    }

    /// `score(pairs:)` on `threads` threads for this call.
    public func score(pairs: [(query: String, document: String)], threads: Int) -> [Float] {
        score(sequences: pairs.map { tokenize(query: $0.query, document: $0.document) }, threads: max(1, threads))
    }

    /// Raw logits of one query against each document, in order.
    public func score(query: String, documents: [String]) -> [Float] {
        let queryIDs = tokenizer.tokenIDs(query)
        return score(sequences: documents.map { tokenizer.encodePair(queryIDs: queryIDs, $0, maxLength: maxLength) })
    }

    /// Raw logits of already tokenized pairs (as `tokenize` makes them).
    public func score(sequences: [TokenizedSequence]) -> [Float] {
        score(sequences: sequences, threads: threads)
    }

    /// Raw logits of already tokenized pairs on `threads` threads for this call (overriding
    /// `threads`): a server picks per call how many of its model cores a call may use.
    public func score(sequences: [TokenizedSequence], threads: Int) -> [Float] {
        let c = encoder.configuration
        let H = c.hiddenSize
        let weights = encoder.weights
        guard let pooler = weights.pooler, let classifier = weights.classifier else { return [] }
        var logits = [Float](repeating: 0, count: sequences.count)
        logits.withUnsafeMutableBufferPointer { logitBuffer in
        let results = logitBuffer.baseAddress!  // disjoint indices per call; see BertEncoder.encode
        encoder.encode(sequences, threads: threads, clsOnly: true) { range, offsets, workspace in
            let n = range.count
            let cls = workspace.pooled, pooled = workspace.pooledOutput
            for i in 0..<n {
                let source = workspace.hidden + offsets[i] * H
                (cls + i * H).update(from: source, count: H)
            }
            weights.storage.withUnsafeBufferPointer { storage in
                let w = storage.baseAddress!
                BertEncoder.matmul(cls, w + pooler.weight, pooled, m: n, n: H, k: H)
                let bias = w + pooler.bias
                let classifierWeight = w + classifier.weight
                for i in 0..<n {
                    let row = pooled + i * H
                    var logit = w[classifier.bias]
                    for j in 0..<H { logit += tanhf(row[j] + bias[j]) * classifierWeight[j] }
                    results[range.lowerBound + i] = logit
                }
            }
        }
        }
        return logits
    }

    /// Floating-point operations one `score(sequences:)` call performs (dense layers plus attention;
    /// the last layer works on the `[CLS]` rows only).
    public func flops(for sequences: [TokenizedSequence]) -> (dense: Double, attention: Double) {
        (
            encoder.denseFLOPs(tokens: sequences.reduce(0) { $0 + $1.count }, sequences: sequences.count, clsOnly: true),
            encoder.attentionFLOPs(lengths: sequences.map(\.count), clsOnly: true)
        )
    }
}
