import Domain
import Foundation
import Hummingbird
import HummingbirdCore
import Storage
import Support
import Testing

@testable import Engine
@testable import Ranking
@testable import Server

/// The input rules of `InputBounds` and the conversions behind them, with no servers.
struct InputBoundsTests {
    let bounds = InputBounds()

    func field(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch let error as ServiceError {
            #expect(error.code == .invalidField || error.code == .missingField)
            #expect(APIError(error).status == .badRequest)
            return error.field
        } catch let error as APIError {
            #expect(error.status == .badRequest)
            return error.field
        } catch {
            return "unexpected \(error)"
        }
    }

    @Test func idsAreBoundedInCodePointsAndFreeOfWhitespaceAndControls() {
        #expect(bounds.isValidID("café-1"))
        #expect(bounds.isValidID("SKU|85123A/2"))
        #expect(bounds.isValidID(String(repeating: "x", count: 256)))
        #expect(!bounds.isValidID(String(repeating: "x", count: 257)))
        #expect(bounds.isValidID(String(repeating: "é", count: 256)), "256 code points, 512 UTF-8 bytes")
        #expect(!bounds.isValidID(String(repeating: "é", count: 257)))
        #expect(bounds.isValidID(String(repeating: "😀", count: 256)), "the longest id is 1,024 bytes")
        #expect(!bounds.isValidID(String(repeating: "e\u{301}", count: 129)), "258 code points, 129 characters as Swift counts them")
        #expect(!bounds.isValidID(""))
        #expect(!bounds.isValidID("a\u{0}b"))
        #expect(!bounds.isValidID("a\u{1F}b"))
        #expect(!bounds.isValidID("a\u{7F}b"))
        #expect(!bounds.isValidID("a\u{85}b"))
        #expect(!bounds.isValidID("a b"))
        #expect(!bounds.isValidID("a\u{00A0}b"), "no-break space is whitespace")
        #expect(field { try bounds.checkID("", field: "user_id") } == "user_id")
        #expect(field { try bounds.checkID("a\u{0}", field: "events[3].user_id") } == "events[3].user_id")
    }

    @Test func textRefusesNulAndControlsButKeepsLineBreaksAndCountsCharacters() {
        #expect(field { try bounds.checkText("two\nlines\tand\r", field: "description") } == nil)
        #expect(field { try bounds.checkText("a\u{0}b", field: "name") } == "name")
        #expect(field { try bounds.checkText("bell\u{7}", field: "name") } == "name")
        #expect(field { try bounds.checkText("c1\u{9B}", field: "name") } == "name")
        #expect(field { try bounds.checkText("é", field: "name") } == nil)
        #expect(field { try bounds.checkText(String(repeating: "é", count: 500), field: "name", maximumCharacters: 500) } == nil)
        #expect(field { try bounds.checkText(String(repeating: "é", count: 501), field: "name", maximumCharacters: 500) } == "name")
        #expect(field { try bounds.checkText(String(repeating: "é", count: 257), field: "category", maximumCharacters: 256) } == "category")
        // Code points, as JSON Schema's maxLength counts them, not grapheme clusters.
        #expect(field { try bounds.checkText(String(repeating: "e\u{301}", count: 251), field: "name", maximumCharacters: 500) } == "name")
    }

    @Test func timestampsMustFallBetween1970And2200() {
        #expect(field { try bounds.checkTimestamp(Date(timeIntervalSince1970: -1e300), field: "timestamp") } == "timestamp")
        #expect(field { try bounds.checkTimestamp(Date(timeIntervalSince1970: 1e300), field: "created_at") } == "created_at")
        #expect(field { try bounds.checkTimestamp(Date(timeIntervalSince1970: -1), field: "t") } == "t")
        #expect(field { try bounds.checkTimestamp(Date(timeIntervalSince1970: 0), field: "t") } == nil)
        #expect(field { try bounds.checkTimestamp(bounds.latestTimestamp, field: "t") } == nil)
        #expect(field { try bounds.checkTimestamp(bounds.latestTimestamp.addingTimeInterval(1), field: "t") } == "t")
        #expect(ISO8601Text.string(bounds.latestTimestamp) == "2200-01-01T00:00:00Z")
    }

    @Test func dtosNameTheFieldOfEveryOutOfRangeValue() {
        let now = Date()
        func event(_ input: EventInput) -> String? { field { _ = try input.validated(now: now, prefix: "events[3].") } }
        #expect(event(EventInput(userID: "u", productID: "p", event: "view", timestamp: Date(timeIntervalSince1970: -1e300))) == "events[3].timestamp")
        #expect(event(EventInput(userID: "u", productID: "p", event: "view", quantity: Int(Int32.max) + 1)) == "events[3].quantity")
        #expect(event(EventInput(userID: "u", productID: "p", event: "view", basketID: String(repeating: "b", count: 3000))) == "events[3].basket_id")
        #expect(event(EventInput(userID: "u", productID: "p", event: "view", eventID: "e\u{0}")) == "events[3].event_id")
        #expect(event(EventInput(userID: "u", productID: "p", event: "view", timestamp: now)) == nil)

        func product(_ input: ProductInput, id: String = "x") -> String? { field { _ = try input.validated(id: id, now: now) } }
        #expect(product(ProductInput(name: "A", createdAt: Date(timeIntervalSince1970: 1e300))) == "created_at")
        #expect(product(ProductInput(name: "A", stockQuantity: Int(Int32.max) + 1)) == "stock_quantity")
        #expect(product(ProductInput(name: "A", stockQuantity: Int(Int32.max))) == nil)
        #expect(product(ProductInput(name: "A\u{0}")) == "name")
        #expect(product(ProductInput(name: "A", currency: "€€€")) == "currency")
        #expect(product(ProductInput(name: "A"), id: "a\u{0}") == "product_id")
    }

    @Test func percentDecodingIsStrict() {
        #expect(InputBounds.percentDecoded("caf%C3%A9-1") == "café-1")
        #expect(InputBounds.percentDecoded("plain") == "plain")
        #expect(InputBounds.percentDecoded("a+b") == "a+b")
        #expect(InputBounds.percentDecoded("a%2Fb") == "a/b")
        #expect(InputBounds.percentDecoded("a%00b") == "a\u{0}b")
        #expect(InputBounds.percentDecoded("%FF") == nil, "not UTF-8")
        #expect(InputBounds.percentDecoded("%C3") == nil, "a truncated sequence")
        #expect(InputBounds.percentDecoded("a%4") == nil)
        #expect(InputBounds.percentDecoded("a%zz") == nil)
    }

    @Test func nulInsideAJSONBodyIsFoundByPath() {
        #expect(InputBounds.firstNulField(inJSON: Data(#"{"a":[{"b":"x"},{"c":"y\u0000"}]}"#.utf8)) == "a[1].c")
        #expect(InputBounds.firstNulField(inJSON: Data(#"{"a":"\\u0000 is text"}"#.utf8)) == nil)
        #expect(InputBounds.firstNulField(inJSON: Data(#"{"a":"plain"}"#.utf8)) == nil)
    }

    @Test func queryValuesAreDecodedStrictlyAndControlsRefused() throws {
        let query = QueryReader(URI("/v1/recommendations/homepage?user_id=a%00b&q=caf%C3%A9&bad=%FF&limit=5"))
        #expect(field { _ = try query.string("user_id") } == "user_id")
        #expect(field { _ = try query.string("bad") } == "bad")
        #expect(try query.string("q") == "café")
        #expect(try query.int("limit", default: 10, range: 1...100) == 5)
        #expect(try query.string("absent") == nil)
    }

    /// The crash line is rendered before any crash; with the time filled in it is one JSON object.
    @Test func theFatalSignalLineIsOneJSONObject() throws {
        let (prefix, suffix) = FatalSignalLog.lineParts(signal: "SIGILL", label: "hybridrank")
        let line = prefix + "1796214645" + suffix
        #expect(line.hasSuffix("}\n"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["level"] as? String == "critical")
        #expect(object["signal"] as? String == "SIGILL")
        #expect(object["time_unix"] as? Int == 1_796_214_645)
    }

    /// #21 "Why" 1 at its source: formatting any `Date` for PostgreSQL or ISO text never traps.
    @Test func timeFormattingIsTotal() {
        for seconds in [-1e300, 1e300, -Double.greatestFiniteMagnitude, .infinity, -.infinity, .nan, 1e19, -62_135_596_800] {
            let date = Date(timeIntervalSince1970: seconds)
            #expect(!date.postgresText.isEmpty)
            #expect(!ISO8601Text.string(date).isEmpty)
            _ = EpochSeconds.floor(date)
        }
        #expect(Date(timeIntervalSince1970: 1_700_000_000.5).postgresText == "2023-11-14T22:13:20.500000Z")
        #expect(Date(timeIntervalSince1970: .infinity).postgresText == "infinity")
        #expect(EpochSeconds.floor(Date(timeIntervalSince1970: -0.5)) == -1)
        #expect(EpochSeconds.floor(Date(timeIntervalSince1970: 1e300)) == Int(EpochSeconds.limit))
    }

    /// `/openapi.json` states the id and text rules as regular expressions; over every code point
    /// of the Basic Multilingual Plane (surrogates aside) they accept exactly what the service does,
    /// so schemathesis's positive and negative conformance checks can hold on every id.
    @Test func theDocumentedPatternsAreTheServicesRules() throws {
        let id = try NSRegularExpression(pattern: IdentifierRule.pattern)
        let text = try NSRegularExpression(pattern: TextRule.pattern)
        func matches(_ regex: NSRegularExpression, _ value: String) -> Bool {
            regex.firstMatch(in: value, range: NSRange(value.startIndex..., in: value)) != nil
        }
        var disagreements: [String] = []
        for value in UInt32(0)...0xFFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let value = "a" + String(Character(scalar)) + "b"
            if matches(id, value) != bounds.isValidID(value) { disagreements.append("id U+\(String(scalar.value, radix: 16))") }
            if matches(text, value) != TextRule.isPrintable(value) { disagreements.append("text U+\(String(scalar.value, radix: 16))") }
        }
        #expect(disagreements.isEmpty, "\(disagreements.prefix(20))")
    }
}
