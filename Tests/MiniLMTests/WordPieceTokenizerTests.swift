import Foundation
import TestSupport
import Testing

@testable import MiniLM

@Suite("WordPiece tokenizer against the Python reference", .ownThreads)
struct WordPieceTokenizerTests {
    let tokenizer: WordPieceTokenizer

    init() throws {
        tokenizer = try WordPieceTokenizer(vocabularyURL: Fixtures.vocabulary)
    }

    @Test("Every fixture text tokenizes to the reference ids", .enabled(if: Fixtures.sharedPresent, "needs ../shared"))
    func textsMatchReference() throws {
        let cases = try Fixtures.texts()
        #expect(cases.count == 110)
        for item in cases {
            let encoded = tokenizer.encode(item.text, maxLength: 256)
            #expect(encoded.inputIDs == item.input_ids, "text kind \(item.kind): \(item.text.prefix(60))")
            #expect(encoded.tokenTypeIDs == [Int32](repeating: 0, count: item.input_ids.count))
        }
    }

    @Test("Every fixture pair tokenizes to the reference ids and token types", .enabled(if: Fixtures.sharedPresent, "needs ../shared"))
    func pairsMatchReference() throws {
        let cases = try Fixtures.pairs()
        #expect(cases.count == 200)
        for item in cases {
            let encoded = tokenizer.encodePair(item.query, item.document, maxLength: 128)
            #expect(encoded.inputIDs == item.input_ids, "pair kind \(item.kind ?? "-")")
            #expect(encoded.tokenTypeIDs == item.token_type_ids, "pair kind \(item.kind ?? "-")")
        }
    }

    @Test("Basic tokenization splits punctuation, strips accents and isolates CJK ideographs")
    func basicTokenization() {
        let basic = BertBasicTokenizer(lowercase: true)
        let words = basic.words("Café-CRÈME 東京x\u{0}\tA").map { String(String.UnicodeScalarView($0)) }
        #expect(words == ["cafe", "-", "creme", "東", "京", "x", "a"])
    }

    @Test("longest_first truncation cuts the longer side first, then both to half the budget")
    func longestFirstTruncation() {
        #expect(WordPieceTokenizer.longestFirstLengths(10, 20, budget: 40) == (10, 20))
        #expect(WordPieceTokenizer.longestFirstLengths(200, 6, budget: 125) == (119, 6))
        #expect(WordPieceTokenizer.longestFirstLengths(6, 200, budget: 125) == (6, 119))
        #expect(WordPieceTokenizer.longestFirstLengths(70, 80, budget: 125) == (62, 63))
        #expect(WordPieceTokenizer.longestFirstLengths(300, 200, budget: 125) == (63, 62))
    }

    @Test("A word over 100 characters becomes a single [UNK]")
    func overlongWordIsUnknown() {
        let ids = tokenizer.tokenIDs(String(repeating: "a", count: 101) + " red")
        #expect(ids.count == 2)
        #expect(ids.first == tokenizer.unknownTokenID)
    }

    @Test("Edge inputs give sane, bounded encodings")
    func edgeInputs() {
        let empty = tokenizer.encode("", maxLength: 256)
        #expect(empty.inputIDs == [tokenizer.classifierTokenID, tokenizer.separatorTokenID])
        let blank = tokenizer.encode(" \t\n\u{3000} ", maxLength: 256)
        #expect(blank.inputIDs == [tokenizer.classifierTokenID, tokenizer.separatorTokenID])

        let long = String(repeating: "vintage heart ", count: 800)  // 11,200 characters
        #expect(tokenizer.encode(long, maxLength: 256).count == 256)
        let longPair = tokenizer.encodePair(long, long, maxLength: 128)
        #expect(longPair.count == 128)
        #expect(longPair.tokenTypeIDs.filter { $0 == 1 }.count == 64)  // 63 document tokens + [SEP]

        let invalid = String(decoding: [0x52, 0x45, 0x44, 0xFF, 0xFE, 0x20, 0x43, 0x55, 0x50] as [UInt8], as: UTF8.self)
        let invalidIDs = tokenizer.encode(invalid, maxLength: 256)
        #expect(invalidIDs.inputIDs == tokenizer.encode("RED CUP", maxLength: 256).inputIDs)

        let emoji = tokenizer.encode("🎄🎁 gift", maxLength: 256)
        #expect(emoji.count >= 3 && emoji.count <= 6)
        let cjk = tokenizer.encode("東京タワー", maxLength: 256)
        #expect(cjk.count >= 4)
    }
}
