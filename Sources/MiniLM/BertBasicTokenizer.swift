import Foundation

/// The "basic" half of BERT tokenization, as in Hugging Face's `BasicTokenizer`/`BertNormalizer`:
/// drop NUL, U+FFFD and control characters, turn whitespace into spaces, put spaces around CJK
/// ideographs, split on whitespace, lowercase and strip accents (NFD, drop nonspacing marks), then
/// split every punctuation character into its own word.
///
/// Works on Unicode scalars (code points), as Python does, never on grapheme clusters.
struct BertBasicTokenizer: Sendable {
    var lowercase: Bool

    /// The words of `text`, each a non-empty array of scalars.
    /// - Complexity: O(n) in the number of scalars.
    func words(_ text: String) -> [[Unicode.Scalar]] {
        // 1. Clean and pad CJK ideographs, then split on whitespace.
        var rawWords: [[Unicode.Scalar]] = []
        var current: [Unicode.Scalar] = []
        func flush() {
            if !current.isEmpty {
                rawWords.append(current)
                current.removeAll(keepingCapacity: true)
            }
        }
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if value == 0 || value == 0xFFFD || Self.isControl(scalar) { continue }
            if Self.isWhitespace(scalar) || scalar.properties.isWhitespace {
                flush()
            } else if Self.isCJKIdeograph(value) {
                flush()
                rawWords.append([scalar])
            } else {
                current.append(scalar)
            }
        }
        flush()

        // 2. Lowercase + strip accents, then split punctuation.
        var words: [[Unicode.Scalar]] = []
        words.reserveCapacity(rawWords.count)
        for raw in rawWords {
            let normalized = lowercase ? Self.lowercasedWithoutAccents(raw) : raw
            var piece: [Unicode.Scalar] = []
            for scalar in normalized {
                if Self.isPunctuation(scalar) {
                    if !piece.isEmpty { words.append(piece); piece.removeAll(keepingCapacity: true) }
                    words.append([scalar])
                } else if Self.isWhitespace(scalar) || scalar.properties.isWhitespace {
                    // Lowercasing never makes whitespace, but be safe: a word never contains it.
                    if !piece.isEmpty { words.append(piece); piece.removeAll(keepingCapacity: true) }
                } else {
                    piece.append(scalar)
                }
            }
            if !piece.isEmpty { words.append(piece) }
        }
        return words
    }

    /// Python's `str.lower()` followed by NFD and removal of category Mn.
    static func lowercasedWithoutAccents(_ word: [Unicode.Scalar]) -> [Unicode.Scalar] {
        // Fast path: ASCII needs neither case mapping tables nor normalization.
        if word.allSatisfy({ $0.isASCII }) {
            return word.map { scalar in
                let v = scalar.value
                return (v >= 65 && v <= 90) ? Unicode.Scalar(v + 32)! : scalar
            }
        }
        var string = String()
        string.unicodeScalars.append(contentsOf: word)
        let decomposed = string.lowercased().decomposedStringWithCanonicalMapping
        return decomposed.unicodeScalars.filter { $0.properties.generalCategory != .nonspacingMark }
    }

    /// `_is_whitespace`: space, tab, newline, carriage return, or category Zs.
    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x20, 0x09, 0x0A, 0x0D: return true
        default: return scalar.properties.generalCategory == .spaceSeparator
        }
    }

    /// `_is_control`: any category C* except tab, newline and carriage return.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D: return false
        case 0x20...0x7E: return false
        default:
            switch scalar.properties.generalCategory {
            case .control, .format, .unassigned, .privateUse, .surrogate: return true
            default: return false
            }
        }
    }

    /// `_is_punctuation`: the ASCII symbol ranges (so `$`, `+`, `^`, `` ` `` count) or category P*.
    static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if (33...47).contains(v) || (58...64).contains(v) || (91...96).contains(v) || (123...126).contains(v) {
            return true
        }
        if v < 128 { return false }
        switch scalar.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
            .initialPunctuation, .finalPunctuation, .otherPunctuation:
            return true
        default:
            return false
        }
    }

    /// `_is_chinese_char`: the CJK Unified Ideographs blocks (not Hiragana, Katakana or Hangul).
    static func isCJKIdeograph(_ v: UInt32) -> Bool {
        (0x4E00...0x9FFF).contains(v) || (0x3400...0x4DBF).contains(v) || (0x20000...0x2A6DF).contains(v)
            || (0x2A700...0x2B73F).contains(v) || (0x2B740...0x2B81F).contains(v) || (0x2B820...0x2CEAF).contains(v)
            || (0xF900...0xFAFF).contains(v) || (0x2F800...0x2FA1F).contains(v)
    }
}
