/// One encoder input: token ids with `[CLS]`/`[SEP]` already in place, and their segment ids.
/// There is no attention mask: batches are packed without padding, so every token is real.
public struct TokenizedSequence: Sendable, Hashable {
    public var inputIDs: [Int32]
    /// 0 for `[CLS]`, the first text and its `[SEP]`; 1 for the second text of a pair and its `[SEP]`.
    public var tokenTypeIDs: [Int32]

    public init(inputIDs: [Int32], tokenTypeIDs: [Int32]) {
        precondition(inputIDs.count == tokenTypeIDs.count, "one token type per token")
        self.inputIDs = inputIDs
        self.tokenTypeIDs = tokenTypeIDs
    }

    /// Number of tokens, special tokens included.
    public var count: Int { inputIDs.count }
}
