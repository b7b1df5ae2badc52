import Foundation

/// The architecture of a BERT encoder, read from a Hugging Face `config.json`.
///
/// Only the fields the encoder needs are decoded; unknown keys are ignored so any
/// `BertModel` / `BertForSequenceClassification` directory loads. Missing optional keys fall back to
/// the values of BERT-base's defaults in `transformers` (`layer_norm_eps` 1e-12, `type_vocab_size` 2,
/// `num_labels` 1 for a cross-encoder with a single logit).
public struct BertConfiguration: Sendable, Decodable, Hashable {
    public var hiddenSize: Int
    public var numHiddenLayers: Int
    public var numAttentionHeads: Int
    public var intermediateSize: Int
    public var maxPositionEmbeddings: Int
    public var typeVocabSize: Int
    public var vocabSize: Int
    public var layerNormEps: Float
    /// The activation in the feed-forward block; only `gelu` (exact, erf-based) is supported.
    public var hiddenAct: String
    /// Number of classifier outputs (`id2label` size when `num_labels` is absent); the cross-encoder reads label 0.
    public var numLabels: Int

    /// Size of one attention head (`hiddenSize / numAttentionHeads`).
    public var headSize: Int { hiddenSize / numAttentionHeads }

    enum CodingKeys: String, CodingKey {
        case hiddenSize = "hidden_size"
        case numHiddenLayers = "num_hidden_layers"
        case numAttentionHeads = "num_attention_heads"
        case intermediateSize = "intermediate_size"
        case maxPositionEmbeddings = "max_position_embeddings"
        case typeVocabSize = "type_vocab_size"
        case vocabSize = "vocab_size"
        case layerNormEps = "layer_norm_eps"
        case hiddenAct = "hidden_act"
        case numLabels = "num_labels"
        case id2label
    }

    public init(
        hiddenSize: Int = 384, numHiddenLayers: Int = 6, numAttentionHeads: Int = 12, intermediateSize: Int = 1536,
        maxPositionEmbeddings: Int = 512, typeVocabSize: Int = 2, vocabSize: Int = 30522, layerNormEps: Float = 1e-12,
        hiddenAct: String = "gelu", numLabels: Int = 1
    ) {
        self.hiddenSize = hiddenSize
        self.numHiddenLayers = numHiddenLayers
        self.numAttentionHeads = numAttentionHeads
        self.intermediateSize = intermediateSize
        self.maxPositionEmbeddings = maxPositionEmbeddings
        self.typeVocabSize = typeVocabSize
        self.vocabSize = vocabSize
        self.layerNormEps = layerNormEps
        self.hiddenAct = hiddenAct
        self.numLabels = numLabels
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        hiddenSize = try c.decode(Int.self, forKey: .hiddenSize)
        numHiddenLayers = try c.decode(Int.self, forKey: .numHiddenLayers)
        numAttentionHeads = try c.decode(Int.self, forKey: .numAttentionHeads)
        intermediateSize = try c.decode(Int.self, forKey: .intermediateSize)
        maxPositionEmbeddings = try c.decodeIfPresent(Int.self, forKey: .maxPositionEmbeddings) ?? 512
        typeVocabSize = try c.decodeIfPresent(Int.self, forKey: .typeVocabSize) ?? 2
        vocabSize = try c.decode(Int.self, forKey: .vocabSize)
        layerNormEps = Float(try c.decodeIfPresent(Double.self, forKey: .layerNormEps) ?? 1e-12)
        hiddenAct = try c.decodeIfPresent(String.self, forKey: .hiddenAct) ?? "gelu"
        if let labels = try c.decodeIfPresent(Int.self, forKey: .numLabels) {
            numLabels = labels
        } else if let map = try c.decodeIfPresent([String: String].self, forKey: .id2label) {
            numLabels = max(1, map.count)
        } else {
            numLabels = 1
        }
    }

    /// Reads `config.json`.
    public init(contentsOf url: URL) throws {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw MiniLMError(.fileUnreadable, file: url.lastPathComponent)
        }
        do {
            self = try JSONDecoder().decode(BertConfiguration.self, from: data)
        } catch {
            throw MiniLMError(.invalidConfiguration, file: url.lastPathComponent)
        }
        try validate(file: url.lastPathComponent)
    }

    func validate(file: String) throws {
        guard hiddenSize > 0, numHiddenLayers > 0, numAttentionHeads > 0, intermediateSize > 0,
            hiddenSize % numAttentionHeads == 0, maxPositionEmbeddings > 2, typeVocabSize > 0, vocabSize > 0
        else { throw MiniLMError(.invalidConfiguration, file: file) }
        guard hiddenAct == "gelu" else { throw MiniLMError(.unsupportedActivation, file: file) }
    }
}
