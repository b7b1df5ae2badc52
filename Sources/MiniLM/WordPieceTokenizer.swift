import Foundation

/// BERT's uncased WordPiece tokenizer, matching Hugging Face's `BertTokenizer` token for token.
///
/// Basic tokenization (see `BertBasicTokenizer`), then greedy longest-match-first WordPiece over
/// each word with `##` continuation pieces; a word longer than 100 scalars, or one with a piece
/// missing from the vocabulary, becomes a single `[UNK]`. Sequences get `[CLS] … [SEP]`; pairs get
/// `[CLS] a [SEP] b [SEP]` with token types 0 then 1 and are truncated `longest_first` the way the
/// `tokenizers` library does it (the longer side is cut first; when both must be cut, they meet at
/// half the budget each, the odd token going to the originally longer side).
public struct WordPieceTokenizer: Sendable {
    /// Vocabulary: token → id (the line number in `vocab.txt`).
    let vocabulary: [String: Int32]
    let basic: BertBasicTokenizer
    public let classifierTokenID: Int32
    public let separatorTokenID: Int32
    public let unknownTokenID: Int32
    public let paddingTokenID: Int32
    /// Words longer than this many scalars become `[UNK]` (BERT's `max_input_chars_per_word`).
    public static let maxCharactersPerWord = 100

    /// Loads `vocab.txt` (one token per line, id = line number).
    /// - Parameter lowercase: `true` for uncased models (lowercase and strip accents).
    public init(vocabularyURL: URL, lowercase: Bool = true) throws {
        let data: Data
        do {
            data = try Data(contentsOf: vocabularyURL)
        } catch {
            throw MiniLMError(.fileUnreadable, file: vocabularyURL.lastPathComponent)
        }
        var vocabulary: [String: Int32] = [:]
        var lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        vocabulary.reserveCapacity(lines.count)
        for (index, line) in lines.enumerated() {
            vocabulary[String(line)] = Int32(index)
        }
        try self.init(vocabulary: vocabulary, lowercase: lowercase, file: vocabularyURL.lastPathComponent)
    }

    init(vocabulary: [String: Int32], lowercase: Bool, file: String = "vocab.txt") throws {
        guard let cls = vocabulary["[CLS]"], let sep = vocabulary["[SEP]"], let unk = vocabulary["[UNK]"] else {
            throw MiniLMError(.invalidVocabulary, file: file)
        }
        self.vocabulary = vocabulary
        self.basic = BertBasicTokenizer(lowercase: lowercase)
        classifierTokenID = cls
        separatorTokenID = sep
        unknownTokenID = unk
        paddingTokenID = vocabulary["[PAD]"] ?? 0
    }

    /// Number of entries in the vocabulary.
    public var vocabularySize: Int { vocabulary.count }

    /// WordPiece ids of `text` without special tokens.
    /// - Complexity: O(n · w) for n scalars and words of at most w = 100 scalars.
    public func tokenIDs(_ text: String) -> [Int32] {
        var ids: [Int32] = []
        var candidate = String()
        for word in basic.words(text) {
            appendWordPieces(word, to: &ids, scratch: &candidate)
        }
        return ids
    }

    /// `[CLS] text [SEP]`, truncated to at most `maxLength` tokens (specials included).
    public func encode(_ text: String, maxLength: Int) -> TokenizedSequence {
        precondition(maxLength >= 2, "room for [CLS] and [SEP]")
        var ids = tokenIDs(text)
        if ids.count > maxLength - 2 { ids.removeLast(ids.count - (maxLength - 2)) }
        var input: [Int32] = [classifierTokenID]
        input.reserveCapacity(ids.count + 2)
        input.append(contentsOf: ids)
        input.append(separatorTokenID)
        return TokenizedSequence(inputIDs: input, tokenTypeIDs: [Int32](repeating: 0, count: input.count))
    }

    /// `[CLS] a [SEP] b [SEP]` with token types 0 then 1, truncated `longest_first` to `maxLength`.
    public func encodePair(_ a: String, _ b: String, maxLength: Int) -> TokenizedSequence {
        precondition(maxLength >= 3, "room for [CLS] and two [SEP]")
        return encodePair(queryIDs: tokenIDs(a), b, maxLength: maxLength)
    }

    /// `encodePair` with the first text already tokenized (a query scored against many documents).
    func encodePair(queryIDs: [Int32], _ b: String, maxLength: Int) -> TokenizedSequence {
        precondition(maxLength >= 3, "room for [CLS] and two [SEP]")
        var first = queryIDs
        var second = tokenIDs(b)
        let (keepFirst, keepSecond) = Self.longestFirstLengths(first.count, second.count, budget: maxLength - 3)
        if first.count > keepFirst { first.removeLast(first.count - keepFirst) }
        if second.count > keepSecond { second.removeLast(second.count - keepSecond) }
        var input: [Int32] = []
        input.reserveCapacity(first.count + second.count + 3)
        input.append(classifierTokenID)
        input.append(contentsOf: first)
        input.append(separatorTokenID)
        let firstSegment = input.count
        input.append(contentsOf: second)
        input.append(separatorTokenID)
        var types = [Int32](repeating: 0, count: input.count)
        for i in firstSegment..<types.count { types[i] = 1 }
        return TokenizedSequence(inputIDs: input, tokenTypeIDs: types)
    }

    /// Lengths both sides keep under `longest_first` truncation (the `tokenizers` algorithm).
    static func longestFirstLengths(_ a: Int, _ b: Int, budget: Int) -> (Int, Int) {
        if a + b <= budget { return (a, b) }
        let swapped = a > b
        var short = swapped ? b : a
        var long: Int
        if short > budget {
            long = short
        } else {
            long = max(short, budget - short)
        }
        if short + long > budget {
            short = budget / 2
            long = short + budget % 2
        }
        let keepA = swapped ? long : short
        let keepB = swapped ? short : long
        return (min(a, keepA), min(b, keepB))
    }

    private func appendWordPieces(_ word: [Unicode.Scalar], to ids: inout [Int32], scratch candidate: inout String) {
        if word.count > Self.maxCharactersPerWord {
            ids.append(unknownTokenID)
            return
        }
        let mark = ids.count
        var start = 0
        while start < word.count {
            var end = word.count
            var found: Int32? = nil
            while start < end {
                candidate.removeAll(keepingCapacity: true)
                if start > 0 { candidate.append("##") }
                candidate.unicodeScalars.append(contentsOf: word[start..<end])
                if let id = vocabulary[candidate] {
                    found = id
                    break
                }
                end -= 1
            }
            guard let id = found else {
                ids.removeLast(ids.count - mark)
                ids.append(unknownTokenID)
                return
            }
            ids.append(id)
            start = end
        }
    }
}
