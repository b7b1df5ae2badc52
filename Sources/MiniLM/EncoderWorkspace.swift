import CEncoderKernels
import Foundation

/// Scratch memory for one forward pass: every activation matrix of a packed batch, allocated once
/// (64-byte aligned, one block) and grown only when a larger batch arrives, never inside a layer.
///
/// A workspace is used by one thread at a time; `EncoderWorkspacePool` hands them out.
final class EncoderWorkspace: @unchecked Sendable {
    private let hiddenSize: Int
    private let intermediateSize: Int
    private let heads: Int
    private(set) var tokenCapacity = 0
    private(set) var lengthCapacity = 0
    private(set) var sequenceCapacity = 0
    private var block: UnsafeMutableRawPointer?

    /// `[T, H]` hidden states (input and output of every layer).
    private(set) var hidden = UnsafeMutablePointer<Float>(bitPattern: 64)!
    /// `[T, 3H]` fused query | key | value projections.
    private(set) var qkv = UnsafeMutablePointer<Float>(bitPattern: 64)!
    /// `[T, H]` attention context (heads concatenated).
    private(set) var context = UnsafeMutablePointer<Float>(bitPattern: 64)!
    /// `[T, H]` output of a projection before the residual + LayerNorm.
    private(set) var projected = UnsafeMutablePointer<Float>(bitPattern: 64)!
    /// `[T, I]` feed-forward intermediate activations.
    private(set) var intermediate = UnsafeMutablePointer<Float>(bitPattern: 64)!
    /// One sequence's transposed keys and one row of scores (`hr_encoder_attention_scratch`).
    private(set) var attentionScratch = UnsafeMutablePointer<Float>(bitPattern: 64)!
    /// `[S, H]` per-sequence vectors: the `[CLS]` rows and their queries in a cross-encoder's last
    /// layer, then the `[CLS]` rows and the pooler output in its head.
    private(set) var pooled = UnsafeMutablePointer<Float>(bitPattern: 64)!
    private(set) var pooledOutput = UnsafeMutablePointer<Float>(bitPattern: 64)!
    /// The `[CLS]`-only last layer's attention: `[S, heads, H]` keys folded into each query, the
    /// same again for the probability-weighted hidden states, and one sequence's `[heads, L]` scores.
    private(set) var clsAttention = UnsafeMutablePointer<Float>(bitPattern: 64)!

    init(hiddenSize: Int, intermediateSize: Int, heads: Int) {
        self.hiddenSize = hiddenSize
        self.intermediateSize = intermediateSize
        self.heads = heads
    }

    deinit { block?.deallocate() }

    /// Makes room for `tokens` packed tokens, sequences up to `maxLength` and `sequences` sequences.
    /// Rounds up generously so a stream of slightly larger batches does not reallocate each time.
    func reserve(tokens: Int, maxLength: Int, sequences: Int) {
        guard tokens > tokenCapacity || maxLength > lengthCapacity || sequences > sequenceCapacity else { return }
        let newTokens = max(tokens, tokenCapacity, 64)
        let newLength = max(maxLength, lengthCapacity, 64)
        let newSequences = max(sequences, sequenceCapacity, 16)
        let H = hiddenSize, I = intermediateSize
        func rounded(_ n: Int) -> Int { (n + 15) & ~15 }  // keep every matrix 64-byte aligned
        let sizes = [
            rounded(newTokens * H), rounded(newTokens * 3 * H), rounded(newTokens * H), rounded(newTokens * H),
            rounded(newTokens * I), rounded(hr_encoder_attention_scratch(newLength, H)), rounded(newSequences * H), rounded(newSequences * H),
            rounded(2 * newSequences * heads * H + heads * newLength),
        ]
        block?.deallocate()
        let raw = UnsafeMutableRawPointer.allocate(byteCount: sizes.reduce(0, +) * MemoryLayout<Float>.stride, alignment: 64)
        let base = raw.bindMemory(to: Float.self, capacity: sizes.reduce(0, +))
        var offset = 0
        var pointers: [UnsafeMutablePointer<Float>] = []
        for size in sizes {
            pointers.append(base + offset)
            offset += size
        }
        block = raw
        hidden = pointers[0]
        qkv = pointers[1]
        context = pointers[2]
        projected = pointers[3]
        intermediate = pointers[4]
        attentionScratch = pointers[5]
        pooled = pointers[6]
        pooledOutput = pointers[7]
        clsAttention = pointers[8]
        tokenCapacity = newTokens
        lengthCapacity = newLength
        sequenceCapacity = newSequences
    }
}

/// A small pool of workspaces so several threads can run the same model at once, each on its own
/// scratch memory; the lock is held only to take or return a workspace, never during the math.
final class EncoderWorkspacePool: @unchecked Sendable {
    private let lock = NSLock()
    private var idle: [EncoderWorkspace] = []
    private let hiddenSize: Int
    private let intermediateSize: Int
    private let heads: Int
    /// Workspaces kept for reuse; more concurrent callers get temporary ones.
    private let retained: Int

    init(hiddenSize: Int, intermediateSize: Int, heads: Int, retained: Int = 2) {
        self.hiddenSize = hiddenSize
        self.intermediateSize = intermediateSize
        self.heads = heads
        self.retained = retained
    }

    func withWorkspace<R>(_ body: (EncoderWorkspace) throws -> R) rethrows -> R {
        lock.lock()
        let workspace = idle.popLast() ?? EncoderWorkspace(hiddenSize: hiddenSize, intermediateSize: intermediateSize, heads: heads)
        lock.unlock()
        defer {
            lock.lock()
            if idle.count < retained { idle.append(workspace) }
            lock.unlock()
        }
        return try body(workspace)
    }
}
