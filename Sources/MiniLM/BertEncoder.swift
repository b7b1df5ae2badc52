import CBLAS
import CEncoderKernels
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
    /// Whether layer 0 projects a prefix common to the whole batch once (`sharedPrefixQKV`). On by
    /// default; off only to measure what it saves (`hybridrank bench encoder`).
    let sharesPrefix: Bool

    init(configuration: BertConfiguration, weights: BertWeights, sharesPrefix: Bool = true) {
        self.configuration = configuration
        self.weights = weights
        self.sharesPrefix = sharesPrefix
        self.workspaces = EncoderWorkspacePool(
            hiddenSize: configuration.hiddenSize, intermediateSize: configuration.intermediateSize,
            heads: configuration.numAttentionHeads)
    }

    /// Floating-point operations of the dense layers for `tokens` tokens in `sequences` sequences
    /// (2 per multiply-add): QKV, attention output and the two feed-forward products per layer; with
    /// `clsOnly` the last layer works on one row per sequence, as `lastLayerForCLS` does (without
    /// the first layer's shared prefix, which depends on how a batch is split).
    func denseFLOPs(tokens: Int, sequences: Int, clsOnly: Bool = false) -> Double {
        let c = configuration
        let H = Double(c.hiddenSize), I = Double(c.intermediateSize), T = Double(tokens)
        let perToken = H * 3 * H + H * H + 2 * H * I
        guard clsOnly, c.numHiddenLayers > 0 else { return 2 * T * Double(c.numHiddenLayers) * perToken }
        // Q, the keys folded into it, the values' projection, the output projection, the feed-forward.
        let last = Double(sequences) * (4 * H * H + 2 * H * I)
        return 2 * (T * Double(c.numHiddenLayers - 1) * perToken + last)
    }

    /// Attention FLOPs (scores and context) for sequences of the given lengths; with `clsOnly` the
    /// last layer has one query row per sequence.
    func attentionFLOPs(lengths: [Int], clsOnly: Bool = false) -> Double {
        let c = configuration
        let H = Double(c.hiddenSize), layers = Double(c.numHiddenLayers), heads = Double(c.numAttentionHeads)
        return lengths.reduce(0.0) { total, length in
            let L = Double(length)
            // The `[CLS]`-only last layer scores and sums the hidden states once per head.
            return total + (clsOnly ? 4 * L * L * H * (layers - 1) + 4 * heads * L * H : 4 * L * L * H * layers)
        }
    }

    /// Runs the encoder over `sequences` and hands each finished batch — its range of `sequences`,
    /// the row offset of each of its sequences, and the workspace whose `hidden` then holds the final
    /// hidden states of the packed tokens (with `clsOnly`, only each sequence's `[CLS]` state, one
    /// row per sequence) — to `body`.
    ///
    /// Sequences go in consecutive batches of at most `maxBatchTokens` tokens (at least one sequence
    /// each). With `threads` > 1 the sequences are split into `threads` contiguous parts of about
    /// equal token count, run concurrently on their own workspaces with single-threaded BLAS: every
    /// step (attention, LayerNorm, GELU, not only the sgemm calls) then uses all the cores, which
    /// OpenBLAS's own threads cannot do. `body` may therefore be called concurrently, for disjoint
    /// ranges; it must write its results through pointers, not into a shared Swift array.
    func encode(
        _ sequences: [TokenizedSequence], threads: Int, clsOnly: Bool = false,
        body: (_ range: Range<Int>, _ offsets: [Int], _ workspace: EncoderWorkspace) -> Void
    ) {
        guard !sequences.isEmpty else { return }
        let totalTokens = sequences.reduce(0) { $0 + $1.count }
        let parts = min(threads, sequences.count)
        // Below ~64 tokens per part the split costs more than it saves: let OpenBLAS have the threads.
        guard parts > 1, totalTokens >= 64 * parts else {
            BLASThreading.setThreads(threads)
            workspaces.withWorkspace { run(sequences, 0..<sequences.count, clsOnly: clsOnly, workspace: $0, body: body) }
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
                    run(sequences, ranges[part], clsOnly: clsOnly, workspace: workspace, body: shared.value)
                }
            }
        }
    }

    private func run(
        _ sequences: [TokenizedSequence], _ range: Range<Int>, clsOnly: Bool, workspace: EncoderWorkspace,
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
            let offsets = forward(sequences[start..<end], clsOnly: clsOnly, workspace: workspace)
            body(start..<end, offsets, workspace)
            start = end
        }
    }

    /// One packed forward pass. Returns the row offset of each sequence's output in
    /// `workspace.hidden`: every token's final state, or with `clsOnly` only the `[CLS]` state of
    /// each sequence, in rows 0, 1, 2, ….
    ///
    /// `clsOnly` is exact, not an approximation: a cross-encoder reads nothing but `[CLS]` after the
    /// last layer, and in that layer only `[CLS]`'s query, attention, projections and feed-forward
    /// influence it (the other tokens only through their keys and values, which `lastLayerForCLS`
    /// folds into `[CLS]`'s side). Skipping the other rows there saves about a sixth of the dense
    /// work on 37-token pairs.
    ///
    /// Every product writes into an output prefilled with its bias (and the residual) and runs with
    /// beta = 1, so bias and residual cost no pass of their own; the element-wise steps and the
    /// attention run in `CEncoderKernels` (AVX2 when the CPU has it).
    private func forward(_ batch: ArraySlice<TokenizedSequence>, clsOnly: Bool, workspace: EncoderWorkspace) -> [Int] {
        let c = configuration
        let H = c.hiddenSize, heads = c.numAttentionHeads, d = c.headSize
        var offsets: [Int] = []
        offsets.reserveCapacity(batch.count)
        var total = 0
        var longest = 0
        for sequence in batch {
            offsets.append(total)
            total += sequence.count
            longest = max(longest, sequence.count)
        }
        let n = batch.count
        workspace.reserve(tokens: total, maxLength: longest, sequences: n)
        let hidden = workspace.hidden, qkv = workspace.qkv, context = workspace.context
        let projected = workspace.projected, scratch = workspace.attentionScratch
        let epsilon = c.layerNormEps
        let scale = 1 / Float(d).squareRoot()
        let maxPosition = c.maxPositionEmbeddings - 1, maxType = c.typeVocabSize - 1, maxToken = c.vocabSize - 1
        let sharedPrefix = sharesPrefix ? Self.worthSharing(prefix: Self.commonPrefixLength(batch), sequences: n, configuration: c) : 0

        weights.storage.withUnsafeBufferPointer { storage in
            let w = storage.baseAddress!
            // Embeddings: word + position + token type, then LayerNorm over all rows at once.
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
                    row += 1
                }
            }
            hr_encoder_layer_norm(
                projected, hidden, w + weights.embeddingNormWeight, w + weights.embeddingNormBias, total, H, epsilon)

            for (index, layer) in weights.layers.enumerated() {
                if clsOnly && index == weights.layers.count - 1 {
                    lastLayerForCLS(layer, w: w, batch: batch, offsets: offsets, workspace: workspace)
                    break
                }
                // Fused Q | K | V: [T, H] · [H, 3H].
                if index == 0 && sharedPrefix > 0 {
                    sharedPrefixQKV(layer, w: w, batch: batch, offsets: offsets, prefix: sharedPrefix, workspace: workspace)
                } else {
                    hr_encoder_prefill(qkv, 3 * H, w + layer.qkvBias, nil, 0, total, 3 * H)
                    Self.gemm(hidden, H, w + layer.qkvWeight, 3 * H, qkv, 3 * H, m: total, n: 3 * H, k: H)
                }

                // Attention per sequence: softmax(Q Kᵀ / √d) V into each head's columns.
                for (position, sequence) in batch.enumerated() {
                    let base = qkv + offsets[position] * 3 * H
                    hr_encoder_attention(
                        base, 3 * H, base + H, base + 2 * H, 3 * H, sequence.count, sequence.count, heads, d, scale,
                        scratch, context + offsets[position] * H, H)
                }

                outputAndFeedForward(layer, w: w, rows: total, states: hidden, output: hidden, workspace: workspace)
            }
        }
        return clsOnly ? Array(0..<n) : offsets
    }

    /// Layer 0's fused Q | K | V when every sequence of the batch starts with the same `prefix`
    /// tokens (a cross-encoder's `[CLS] query [SEP]`, one query against many documents): those rows
    /// enter layer 0 identical in every sequence (same tokens, positions and segments), so their
    /// projections are computed once, for the first sequence, and copied to the others. Exact: every
    /// projected row is the same sum of the same products as in the unshared path. From layer 0's
    /// attention on the rows differ (the query's tokens attend to each document), so nothing later
    /// is shared.
    ///
    /// One sgemm over the distinct rows only — the first sequence whole, then each other
    /// sequence's suffix — gathered into `projected` (free between the embeddings' LayerNorm and the
    /// attention output) and projected into `intermediate` (free until the feed-forward; it holds
    /// `[T, I]` with I ≥ 3H, which `worthSharing` checks), then scattered into `qkv`.
    private func sharedPrefixQKV(
        _ layer: BertWeights.Layer, w: UnsafePointer<Float>, batch: ArraySlice<TokenizedSequence>, offsets: [Int],
        prefix: Int, workspace: EncoderWorkspace
    ) {
        let H = configuration.hiddenSize, width = 3 * H
        let hidden = workspace.hidden, qkv = workspace.qkv
        let rows = workspace.projected, projections = workspace.intermediate
        var suffixStarts: [Int] = []
        suffixStarts.reserveCapacity(batch.count)
        var distinct = 0
        for (position, sequence) in batch.enumerated() {
            let skip = position == 0 ? 0 : prefix
            suffixStarts.append(distinct + prefix - skip)
            let count = sequence.count - skip
            (rows + distinct * H).update(from: hidden + (offsets[position] + skip) * H, count: count * H)
            distinct += count
        }
        hr_encoder_prefill(projections, width, w + layer.qkvBias, nil, 0, distinct, width)
        Self.gemm(rows, H, w + layer.qkvWeight, width, projections, width, m: distinct, n: width, k: H)
        for (position, sequence) in batch.enumerated() {
            let target = qkv + offsets[position] * width
            target.update(from: projections, count: prefix * width)
            (target + prefix * width).update(
                from: projections + suffixStarts[position] * width, count: (sequence.count - prefix) * width)
        }
    }

    /// Tokens (ids and segments) every sequence of `batch` starts with; 0 for fewer than two.
    static func commonPrefixLength(_ batch: ArraySlice<TokenizedSequence>) -> Int {
        guard let first = batch.first, batch.count > 1 else { return 0 }
        var length = first.count
        for sequence in batch.dropFirst() {
            length = min(length, sequence.count)
            var same = 0
            while same < length && sequence.inputIDs[same] == first.inputIDs[same]
                && sequence.tokenTypeIDs[same] == first.tokenTypeIDs[same]
            {
                same += 1
            }
            length = same
            if length == 0 { break }
        }
        return length
    }

    /// `prefix` when sharing it saves enough rows to pay for the gather and scatter (at least 32
    /// projected rows) and the scratch layout fits (I ≥ 3H), else 0.
    static func worthSharing(prefix: Int, sequences: Int, configuration c: BertConfiguration) -> Int {
        guard prefix > 0, (sequences - 1) * prefix >= 32, c.intermediateSize >= 3 * c.hiddenSize else { return 0 }
        return prefix
    }

    /// The last layer computed for the `[CLS]` rows only (see `forward`), without projecting any
    /// other token. Leaves the `[CLS]` states in rows 0..<n of `workspace.hidden`.
    ///
    /// `[CLS]` reads the other tokens only through their keys and values, both linear in a token's
    /// hidden state x. Per head, q·(x Wk + bk) = x·(Wk q) + q·bk, and q·bk is the same for every
    /// token, so the softmax drops it; and Σ p_j (x_j Wv + bv) = (Σ p_j x_j) Wv + bv since the p_j
    /// sum to 1. So each head folds Wk into its query once (an H-vector), scores the hidden states
    /// with it, and sends the probability-weighted sum of the hidden states through Wv once: per
    /// sequence about heads·L·H multiply-adds instead of the 2·L·H² of every token's key and value.
    /// The same sums in another order: equal up to fp32 rounding.
    private func lastLayerForCLS(
        _ layer: BertWeights.Layer, w: UnsafePointer<Float>, batch: ArraySlice<TokenizedSequence>, offsets: [Int],
        workspace: EncoderWorkspace
    ) {
        let c = configuration
        let H = c.hiddenSize, heads = c.numAttentionHeads, d = c.headSize
        let n = batch.count
        let hidden = workspace.hidden, context = workspace.context
        let clsRows = workspace.pooled, clsQuery = workspace.pooledOutput
        let folded = workspace.clsAttention  // [n, heads, H]
        let weighted = folded + n * heads * H  // [n, heads, H]
        let scores = weighted + n * heads * H  // [heads, L] of one sequence
        let query = w + layer.qkvWeight, key = query + H, value = query + 2 * H  // columns of [H, 3H]

        for i in 0..<n { (clsRows + i * H).update(from: hidden + offsets[i] * H, count: H) }
        // Q for the [CLS] rows.
        hr_encoder_prefill(clsQuery, H, w + layer.qkvBias, nil, 0, n, H)
        Self.gemm(clsRows, H, query, 3 * H, clsQuery, H, m: n, n: H, k: H)
        // folded[i, h] = (1/√d) · Wk_h q[i, h]: [n, d] · [H, d]ᵀ per head.
        let scale = 1 / Float(d).squareRoot()
        for h in 0..<heads {
            cblas_sgemm(
                CblasRowMajor, CblasNoTrans, CblasTrans, Int32(n), Int32(H), Int32(d),
                scale, clsQuery + h * d, Int32(H), key + h * d, Int32(3 * H), 0, folded + h * H, Int32(heads * H))
        }
        for (position, sequence) in batch.enumerated() {
            let length = sequence.count
            let states = hidden + offsets[position] * H
            // scores[h, j] = folded[i, h] · x_j, then a softmax per head.
            cblas_sgemm(
                CblasRowMajor, CblasNoTrans, CblasTrans, Int32(heads), Int32(length), Int32(H),
                1, folded + position * heads * H, Int32(H), states, Int32(H), 0, scores, Int32(length))
            for h in 0..<heads {
                let row = scores + h * length
                var maximum = -Float.infinity
                for j in 0..<length { maximum = max(maximum, row[j]) }
                var total: Float = 0
                for j in 0..<length {
                    row[j] = expf(row[j] - maximum)
                    total += row[j]
                }
                let inverse = 1 / total
                for j in 0..<length { row[j] *= inverse }
            }
            // weighted[i, h] = Σ_j p[h, j] x_j.
            cblas_sgemm(
                CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(heads), Int32(H), Int32(length),
                1, scores, Int32(length), states, Int32(H), 0, weighted + position * heads * H, Int32(H))
        }
        // context[i, head h's columns] = weighted[i, h] · Wv_h + bv_h.
        hr_encoder_prefill(context, H, w + layer.qkvBias + 2 * H, nil, 0, n, H)
        for h in 0..<heads {
            cblas_sgemm(
                CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(n), Int32(d), Int32(H),
                1, weighted + h * H, Int32(heads * H), value + h * d, Int32(3 * H), 1, context + h * d, Int32(H))
        }
        outputAndFeedForward(layer, w: w, rows: n, states: clsRows, output: hidden, workspace: workspace)
    }

    /// The rest of a layer after attention, on `rows` rows: output projection of
    /// `workspace.context` onto bias + `states`, LayerNorm back into `states`, then the
    /// feed-forward GELU(X W1 + b1) W2 + b2 + X and its LayerNorm into `output`. `forward` passes
    /// the hidden states for both; the `[CLS]`-only last layer its compact `[CLS]` rows.
    private func outputAndFeedForward(
        _ layer: BertWeights.Layer, w: UnsafePointer<Float>, rows: Int, states: UnsafeMutablePointer<Float>,
        output: UnsafeMutablePointer<Float>, workspace: EncoderWorkspace
    ) {
        let c = configuration
        let H = c.hiddenSize, I = c.intermediateSize, epsilon = c.layerNormEps
        let projected = workspace.projected, intermediate = workspace.intermediate
        hr_encoder_prefill(projected, H, w + layer.attentionOutputBias, states, H, rows, H)
        Self.gemm(workspace.context, H, w + layer.attentionOutputWeight, H, projected, H, m: rows, n: H, k: H)
        hr_encoder_layer_norm(projected, states, w + layer.attentionNormWeight, w + layer.attentionNormBias, rows, H, epsilon)
        hr_encoder_prefill(intermediate, I, w + layer.intermediateBias, nil, 0, rows, I)
        Self.gemm(states, H, w + layer.intermediateWeight, I, intermediate, I, m: rows, n: I, k: H)
        hr_encoder_gelu(intermediate, rows * I)
        hr_encoder_prefill(projected, H, w + layer.outputBias, states, H, rows, H)
        Self.gemm(intermediate, I, w + layer.outputWeight, H, projected, H, m: rows, n: H, k: I)
        hr_encoder_layer_norm(projected, output, w + layer.outputNormWeight, w + layer.outputNormBias, rows, H, epsilon)
    }

    /// `C[m, n] += A[m, k] · B[k, n]`, row-major with leading dimensions (beta = 1: `C` holds the
    /// bias, and the residual where there is one, before the call).
    @inline(__always)
    static func gemm(
        _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
        _ c: UnsafeMutablePointer<Float>, _ ldc: Int, m: Int, n: Int, k: Int
    ) {
        cblas_sgemm(
            CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k),
            1, a, Int32(lda), b, Int32(ldb), 1, c, Int32(ldc))
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
