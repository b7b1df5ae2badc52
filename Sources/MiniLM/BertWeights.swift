/// All weights of a BERT encoder (and its optional pooler and classifier) as one contiguous
/// `[Float]`, with each tensor addressed by its element offset.
///
/// One array means one `withUnsafeBufferPointer` per forward pass and no per-layer closures. Dense
/// weights are stored transposed to `[in, out]` so every product is `X[T, in] · W[in, out]`, and the
/// query, key and value projections are fused into a single `[H, 3H]` weight (one sgemm per layer).
/// Tensor names are accepted with and without the `bert.` prefix of `BertForSequenceClassification`.
struct BertWeights: Sendable {
    struct Layer: Sendable {
        var qkvWeight = 0, qkvBias = 0
        var attentionOutputWeight = 0, attentionOutputBias = 0
        var attentionNormWeight = 0, attentionNormBias = 0
        var intermediateWeight = 0, intermediateBias = 0
        var outputWeight = 0, outputBias = 0
        var outputNormWeight = 0, outputNormBias = 0
    }

    let storage: [Float]
    let wordEmbeddings: Int
    let positionEmbeddings: Int
    let tokenTypeEmbeddings: Int
    let embeddingNormWeight: Int
    let embeddingNormBias: Int
    let layers: [Layer]
    /// `[H, H]` transposed pooler weight and its bias, when the file has a pooler.
    let pooler: (weight: Int, bias: Int)?
    /// `[numLabels, H]` classifier weight (as stored: one row per label) and its bias.
    let classifier: (weight: Int, bias: Int)?

    /// Number of floats in `storage`.
    var parameterCount: Int { storage.count }

    init(file: SafetensorsFile, configuration c: BertConfiguration) throws {
        let prefix = file.contains("bert.embeddings.word_embeddings.weight") ? "bert." : ""
        let H = c.hiddenSize, I = c.intermediateSize
        let hasPooler = file.contains("\(prefix)pooler.dense.weight")
        let hasClassifier = file.contains("classifier.weight")
        let perLayer = H * 3 * H + 3 * H + H * H + H + 2 * H + H * I + I + I * H + H + 2 * H
        let total = (c.vocabSize + c.maxPositionEmbeddings + c.typeVocabSize) * H + 2 * H
            + c.numHiddenLayers * perLayer + (hasPooler ? H * H + H : 0) + (hasClassifier ? c.numLabels * (H + 1) : 0)

        var storage: [Float] = []
        storage.reserveCapacity(total)

        func append(_ name: String, _ shape: [Int]) throws -> Int {
            let offset = storage.count
            try file.appendFloats(name, expectedShape: shape, to: &storage)
            return offset
        }
        /// Appends PyTorch `Linear` weights `[out, in]` side by side, transposed to `[in, Σout]`.
        func appendTransposed(_ names: [String], inputs: Int, outputs: Int) throws -> Int {
            let offset = storage.count
            let blocks = try names.map { try file.floats($0, expectedShape: [outputs, inputs]) }
            let width = outputs * blocks.count
            storage.append(contentsOf: repeatElement(0, count: inputs * width))
            storage.withUnsafeMutableBufferPointer { out in
                for (b, block) in blocks.enumerated() {
                    block.withUnsafeBufferPointer { w in
                        for o in 0..<outputs {
                            for i in 0..<inputs { out[offset + i * width + b * outputs + o] = w[o * inputs + i] }
                        }
                    }
                }
            }
            return offset
        }

        let e = "\(prefix)embeddings."
        wordEmbeddings = try append(e + "word_embeddings.weight", [c.vocabSize, H])
        positionEmbeddings = try append(e + "position_embeddings.weight", [c.maxPositionEmbeddings, H])
        tokenTypeEmbeddings = try append(e + "token_type_embeddings.weight", [c.typeVocabSize, H])
        embeddingNormWeight = try append(e + "LayerNorm.weight", [H])
        embeddingNormBias = try append(e + "LayerNorm.bias", [H])

        var layers: [Layer] = []
        for index in 0..<c.numHiddenLayers {
            let l = "\(prefix)encoder.layer.\(index)."
            var layer = Layer()
            let attention = l + "attention.self."
            layer.qkvWeight = try appendTransposed(
                [attention + "query.weight", attention + "key.weight", attention + "value.weight"], inputs: H, outputs: H)
            layer.qkvBias = try append(attention + "query.bias", [H])
            _ = try append(attention + "key.bias", [H])
            _ = try append(attention + "value.bias", [H])
            layer.attentionOutputWeight = try appendTransposed([l + "attention.output.dense.weight"], inputs: H, outputs: H)
            layer.attentionOutputBias = try append(l + "attention.output.dense.bias", [H])
            layer.attentionNormWeight = try append(l + "attention.output.LayerNorm.weight", [H])
            layer.attentionNormBias = try append(l + "attention.output.LayerNorm.bias", [H])
            layer.intermediateWeight = try appendTransposed([l + "intermediate.dense.weight"], inputs: H, outputs: I)
            layer.intermediateBias = try append(l + "intermediate.dense.bias", [I])
            layer.outputWeight = try appendTransposed([l + "output.dense.weight"], inputs: I, outputs: H)
            layer.outputBias = try append(l + "output.dense.bias", [H])
            layer.outputNormWeight = try append(l + "output.LayerNorm.weight", [H])
            layer.outputNormBias = try append(l + "output.LayerNorm.bias", [H])
            layers.append(layer)
        }
        self.layers = layers

        if hasPooler {
            let weight = try appendTransposed(["\(prefix)pooler.dense.weight"], inputs: H, outputs: H)
            let bias = try append("\(prefix)pooler.dense.bias", [H])
            pooler = (weight, bias)
        } else {
            pooler = nil
        }
        if hasClassifier {
            let weight = try append("classifier.weight", [c.numLabels, H])
            let bias = try append("classifier.bias", [c.numLabels])
            classifier = (weight, bias)
        } else {
            classifier = nil
        }
        self.storage = storage
    }
}
