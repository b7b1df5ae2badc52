import CBLAS
import Foundation

/// The BERT encoder stack on `cblas_sgemm`: embeddings + LayerNorm, then per layer a fused QKV
/// projection, attention per sequence and head, output projection, residual + LayerNorm, exact-GELU
/// feed-forward, residual + LayerNorm.
///
/// Batches are packed without padding: the sequences of a batch are stacked into one `[T, H]`
/// matrix (T = total tokens), so every dense layer is one sgemm over real tokens only, and
/// attention runs per sequence on its own rows. The heads (mean pooling, `[CLS]` → pooler →
/// classifier) live in `BiEncoder` and `CrossEncoder`.
final class BertEncoder: Sendable {
    let configuration: BertConfiguration
    let weights: BertWeights
    let workspaces: EncoderWorkspacePool
    /// Tokens per packed batch: large enough for efficient sgemm shapes, small enough that the
    /// workspace stays far below the size of the weights (2,048 tokens ≈ 31 MB of scratch at H=384).
    static let maxBatchTokens = 2048

    init(configuration: BertConfiguration, weights: BertWeights) {
        self.configuration = configuration
        self.weights = weights
        self.workspaces = EncoderWorkspacePool(hiddenSize: configuration.hiddenSize, intermediateSize: configuration.intermediateSize)
    }

    /// Floating-point operations of the dense layers for `tokens` tokens (2 per multiply-add):
    /// QKV, attention output, and the two feed-forward products, per layer.
    func denseFLOPs(tokens: Int) -> Double {
        let c = configuration
        let H = Double(c.hiddenSize), I = Double(c.intermediateSize)
        return 2 * Double(tokens) * Double(c.numHiddenLayers) * (H * 3 * H + H * H + 2 * H * I)
    }

    /// Attention FLOPs (scores and context) for sequences of the given lengths.
    func attentionFLOPs(lengths: [Int]) -> Double {
        let c = configuration
        return lengths.reduce(0.0) { $0 + 4 * Double($1 * $1) * Double(c.hiddenSize) } * Double(c.numHiddenLayers)
    }

    /// Runs the encoder over `sequences` and hands each finished batch — its range of `sequences`,
    /// the row offset of each of its sequences, and the workspace whose `hidden` then holds the final
    /// hidden states of the packed tokens — to `body`.
    ///
    /// Sequences go in consecutive batches of at most `maxBatchTokens` tokens (at least one sequence
    /// each). With `threads` > 1 the sequences are split into `threads` contiguous parts of about
    /// equal token count, run concurrently on their own workspaces with single-threaded BLAS: every
    /// step (attention, LayerNorm, GELU, not only the sgemm calls) then uses all the cores, which
    /// OpenBLAS's own threads cannot do. `body` may therefore be called concurrently, for disjoint
    /// ranges; it must write its results through pointers, not into a shared Swift array.
    func encode(
        _ sequences: [TokenizedSequence], threads: Int,
        body: (_ range: Range<Int>, _ offsets: [Int], _ workspace: EncoderWorkspace) -> Void
    ) {
        guard !sequences.isEmpty else { return }
        let totalTokens = sequences.reduce(0) { $0 + $1.count }
        let parts = min(threads, sequences.count)
        // Below ~64 tokens per part the split costs more than it saves: let OpenBLAS have the threads.
        guard parts > 1, totalTokens >= 64 * parts else {
            BLASThreading.setThreads(threads)
            workspaces.withWorkspace { run(sequences, 0..<sequences.count, workspace: $0, body: body) }
            return
        }
        BLASThreading.setThreads(1)
        var bounds = [0]
        var accumulated = 0
        for (index, sequence) in sequences.enumerated() {
            accumulated += sequence.count
            if bounds.count < parts && accumulated * parts >= totalTokens * bounds.count && index + 1 < sequences.count {
                bounds.append(index + 1)
            }
        }
        bounds.append(sequences.count)
        let ranges = (0..<(bounds.count - 1)).map { bounds[$0]..<bounds[$0 + 1] }
        withoutActuallyEscaping(body) { body in
            // The parts touch disjoint ranges and their own workspaces; `body` is documented to
            // write through pointers only, so handing it to the worker threads is sound.
            let shared = UncheckedSendableBox(value: body)
            DispatchQueue.concurrentPerform(iterations: ranges.count) { part in
                workspaces.withWorkspace { workspace in
                    run(sequences, ranges[part], workspace: workspace, body: shared.value)
                }
            }
        }
    }

    private func run(
        _ sequences: [TokenizedSequence], _ range: Range<Int>, workspace: EncoderWorkspace,
        body: (_ range: Range<Int>, _ offsets: [Int], _ workspace: EncoderWorkspace) -> Void
    ) {
        var start = range.lowerBound
        while start < range.upperBound {
            var end = start
            var tokens = 0
            while end < range.upperBound && (end == start || tokens + sequences[end].count <= Self.maxBatchTokens) {
                tokens += sequences[end].count
                end += 1
            }
            let offsets = forward(sequences[start..<end], workspace: workspace)
            body(start..<end, offsets, workspace)
            start = end
        }
    }

    /// One packed forward pass. Returns the row offset of each sequence in `workspace.hidden`.
    private func forward(_ batch: ArraySlice<TokenizedSequence>, workspace: EncoderWorkspace) -> [Int] {
        let c = configuration
        let H = c.hiddenSize, I = c.intermediateSize, heads = c.numAttentionHeads, d = c.headSize
        var offsets: [Int] = []
        offsets.reserveCapacity(batch.count)
        var total = 0
        var longest = 0
        for sequence in batch {
            offsets.append(total)
            total += sequence.count
            longest = max(longest, sequence.count)
        }
        workspace.reserve(tokens: total, maxLength: longest, sequences: batch.count)
        let hidden = workspace.hidden, qkv = workspace.qkv, context = workspace.context
        let projected = workspace.projected, intermediate = workspace.intermediate, scores = workspace.scores
        let epsilon = c.layerNormEps
        let scale = 1 / Float(d).squareRoot()
        let maxPosition = c.maxPositionEmbeddings - 1, maxType = c.typeVocabSize - 1, maxToken = c.vocabSize - 1

        weights.storage.withUnsafeBufferPointer { storage in
            let w = storage.baseAddress!
            // Embeddings: word + position + token type, then LayerNorm, row by row.
            var row = 0
            for sequence in batch {
                for p in 0..<sequence.count {
                    let id = min(max(Int(sequence.inputIDs[p]), 0), maxToken)
                    let type = min(max(Int(sequence.tokenTypeIDs[p]), 0), maxType)
                    let word = w + weights.wordEmbeddings + id * H
                    let position = w + weights.positionEmbeddings + min(p, maxPosition) * H
                    let typeRow = w + weights.tokenTypeEmbeddings + type * H
                    let out = projected + row * H
                    for j in 0..<H { out[j] = word[j] + position[j] + typeRow[j] }
                    VectorKernels.layerNorm(
                        out, output: hidden + row * H, gamma: w + weights.embeddingNormWeight,
                        beta: w + weights.embeddingNormBias, columns: H, epsilon: epsilon)
                    row += 1
                }
            }

            for layer in weights.layers {
                // Fused Q | K | V: [T, H] · [H, 3H].
                Self.matmul(hidden, w + layer.qkvWeight, qkv, m: total, n: 3 * H, k: H)
                VectorKernels.addBias(qkv, bias: w + layer.qkvBias, rows: total, columns: 3 * H)

                // Attention per sequence and head: softmax(Q Kᵀ / √d) V into the head's columns.
                for (index, sequence) in batch.enumerated() {
                    let length = sequence.count
                    let base = qkv + offsets[index] * 3 * H
                    for head in 0..<heads {
                        let q = base + head * d
                        let k = q + H
                        let v = q + 2 * H
                        cblas_sgemm(
                            CblasRowMajor, CblasNoTrans, CblasTrans, Int32(length), Int32(length), Int32(d),
                            scale, q, Int32(3 * H), k, Int32(3 * H), 0, scores, Int32(length))
                        VectorKernels.softmaxRows(scores, rows: length, columns: length)
                        cblas_sgemm(
                            CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(length), Int32(d), Int32(length),
                            1, scores, Int32(length), v, Int32(3 * H), 0, context + offsets[index] * H + head * d, Int32(H))
                    }
                }

                // Output projection, residual, LayerNorm.
                Self.matmul(context, w + layer.attentionOutputWeight, projected, m: total, n: H, k: H)
                VectorKernels.addBiasResidualLayerNorm(
                    projected: projected, bias: w + layer.attentionOutputBias, hidden: hidden,
                    gamma: w + layer.attentionNormWeight, beta: w + layer.attentionNormBias,
                    rows: total, columns: H, epsilon: epsilon)

                // Feed-forward: GELU(X W1 + b1) W2 + b2, residual, LayerNorm.
                Self.matmul(hidden, w + layer.intermediateWeight, intermediate, m: total, n: I, k: H)
                VectorKernels.addBiasGELU(intermediate, bias: w + layer.intermediateBias, rows: total, columns: I)
                Self.matmul(intermediate, w + layer.outputWeight, projected, m: total, n: H, k: I)
                VectorKernels.addBiasResidualLayerNorm(
                    projected: projected, bias: w + layer.outputBias, hidden: hidden,
                    gamma: w + layer.outputNormWeight, beta: w + layer.outputNormBias,
                    rows: total, columns: H, epsilon: epsilon)
            }
        }
        return offsets
    }

    /// `C[m, n] = A[m, k] · B[k, n]`, all row-major and contiguous.
    @inline(__always)
    static func matmul(
        _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>, m: Int, n: Int, k: Int
    ) {
        cblas_sgemm(
            CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k),
            1, a, Int32(k), b, Int32(n), 0, c, Int32(n))
    }
}

/// Carries a value the compiler cannot prove Sendable into `concurrentPerform`, where the caller
/// guarantees the threads touch disjoint data.
struct UncheckedSendableBox<Value>: @unchecked Sendable {
    let value: Value
}
