

import Domain
import Foundation
import Support

/// The limits every value the HTTP API accepts is held to, in one place, with the check for each.
///
/// Why they exist: whatever is acknowledged must be stored as sent. PostgreSQL's `text` cannot hold
/// NUL (libpq cuts the value there, so PostgreSQL would keep `a` while Redis and memory keep
/// `a\0b`), a btree entry over about 2.7 KB is refused (500 on every indexed id), `integer` columns
/// end at 2³¹−1, and `timestamptz` text far out of range stops the process where it is formatted.
/// Every DTO checks its fields here, so each refusal is a 400 naming the field
/// (`events[3].timestamp`) and nothing reaches libpq that it would refuse or truncate.
///
/// Lengths are in characters, meaning Unicode code points: what JSON Schema's `maxLength` counts,
/// so `/openapi.json` can state every bound exactly (and `pattern`s state the character rules:
/// `IdentifierRule.pattern`, `InputBounds.textPattern`). Indexed values stay small in bytes too: a
/// code point is at most 4 UTF-8 bytes. README "Input bounds" lists the defaults.
public struct InputBounds: Sendable {
    /// Product, user, basket, request, event and experiment ids, in code points. Ids sit in btree
    /// indexes (some composite, `interactions (user_id, occurred_at)`); 256 code points (≤ 1,024
    /// bytes) stay far below PostgreSQL's ~2,700-byte entry limit and above any id a shop uses.
    public var maximumIDLength: Int = IdentifierRule.maximumLength
    /// Product names, in characters: they are shown in widgets and fed to the encoders.
    public var maximumNameCharacters: Int = TextRule.maximumNameCharacters
    /// Product descriptions, in characters: the bi-encoder reads only their start anyway.
    public var maximumDescriptionCharacters: Int = TextRule.maximumDescriptionCharacters
    /// Categories, in code points: `products_category_live_idx` indexes them (≤ 1,024 bytes).
    public var maximumCategoryCharacters: Int = TextRule.maximumCategoryCharacters
    /// Search `q`, in characters: every character is encoded by the bi-encoder (cost).
    public var maximumQueryCharacters: Int = 1_000
    /// Earliest accepted event or product time: 1970-01-01T00:00:00Z. Nothing a shop records is
    /// older; year 0 and 1 are refused by `timestamptz` text input.
    public var earliestTimestamp: Date = StoredRanges.timestamps.lowerBound
    /// Latest accepted product `created_at`: 2200-01-01T00:00:00Z (events are further held to
    /// `now + eventFutureTolerance`).
    public var latestTimestamp: Date = StoredRanges.timestamps.upperBound
    /// How far in the future an event time may be (client clocks drift), in seconds.
    public var eventFutureTolerance: TimeInterval = 300
    /// `stock_quantity` is an `integer` column (`StoredRanges`).
    public var stockQuantity: ClosedRange<Int> = StoredRanges.stockQuantity
    /// An event's `quantity` (`StoredRanges`: an `integer` column, far above any real order line).
    public var eventQuantity: ClosedRange<Int> = StoredRanges.eventQuantity
    /// Events in one `POST /v1/events` (one transaction).
    public var maximumEventBatch: Int = 1_000
    /// Products in one `POST /v1/products:batch` (one transaction, one embedding batch).
    public var maximumProductBatch: Int = 1_000
    /// Product ids in a cart sent with `POST /v1/recommendations/cart`.
    public var maximumCartItems: Int = 500
    /// A widget request's `exclude` (comma-separated ids, empty entries skipped), in characters.
    /// The bound is the parameter's length, not an entry count: `/openapi.json`'s pattern can state
    /// the entries' form but not their number (the regex engine schemathesis validates with refuses
    /// counted repetitions of id-sized groups); the length is stated in the description.
    public var maximumExcludeCharacters: Int = 8_192
    /// A widget request's `pin` (comma-separated position:id entries), in characters; positions
    /// are 1…100, so at most 100 pins take effect, and a pin past `limit` is dropped.
    public var maximumPinCharacters: Int = 2_048

    public init() {}

    // MARK: - Checks (each throws a 400 naming `field`)

    /// An id: non-empty, at most `maximumIDLength` characters, no whitespace or control characters.
    public func checkID(_ id: String, field: String) throws {
        guard !id.isEmpty else { throw ServiceError.missing(field) }
        guard isValidID(id) else {
            throw ServiceError.invalid(
                field, "\(field) must be 1–\(maximumIDLength) characters without whitespace or control characters")
        }
    }

    /// The id rule as a predicate (widget settings' block lists and pins use it too).
    public func isValidID(_ id: String) -> Bool {
        IdentifierRule.isValid(id, maximumLength: maximumIDLength)
    }

    /// Free text: at most `maximumCharacters` characters (code points), no NUL and no control
    /// characters other than tab, line feed and carriage return (`TextRule`).
    public func checkText(_ text: String, field: String, maximumCharacters: Int? = nil) throws {
        if let maximumCharacters, !TextRule.fits(text, maximumCharacters: maximumCharacters) {
            throw ServiceError.invalid(field, "\(field) must be at most \(maximumCharacters) characters")
        }
        guard TextRule.isPrintable(text) else {
            throw ServiceError.invalid(field, "\(field) must not contain NUL or control characters")
        }
    }

    /// A point in time between `earliestTimestamp` and `latest` (default `latestTimestamp`).
    public func checkTimestamp(_ date: Date, field: String, latest: Date? = nil) throws {
        let latest = latest ?? latestTimestamp
        let seconds = date.timeIntervalSince1970
        guard seconds.isFinite, date >= earliestTimestamp, date <= latest else {
            throw ServiceError.invalid(
                field,
                "\(field) must be between \(ISO8601Text.string(earliestTimestamp)) and \(ISO8601Text.string(latest))")
        }
    }

    /// An integer within `range` (a column type's or a business rule's).
    public func checkInteger(_ value: Int, in range: ClosedRange<Int>, field: String) throws {
        guard range.contains(value) else {
            throw ServiceError.invalid(field, "\(field) must be between \(range.lowerBound) and \(range.upperBound)")
        }
    }

    /// A list of at most `maximum` entries (`minimum` at least).
    public func checkCount(_ count: Int, minimum: Int = 0, maximum: Int, field: String) throws {
        guard count >= minimum, count <= maximum else {
            throw ServiceError.invalid(field, "\(field) must hold \(minimum)–\(maximum) entries")
        }
    }

    /// The path (`variants[1].name`) of the first string, or object key, in a JSON document
    /// that holds NUL; nil when there is none or the document does not parse (the decoder
    /// reports that). For bodies stored whole as `jsonb`, which refuses `\u0000` (SQLSTATE 22P05).
    package static func firstNulField(inJSON data: Data) -> String? {
        // JSON can only carry NUL as the escape `\u0000`: parse only bodies that contain it.
        let escape = Array(#"\u0000"#.utf8)
        guard data.count >= escape.count, data.range(of: Data(escape)) != nil,
            let root = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        else { return nil }
        func scan(_ value: Any, _ path: String) -> String? {
            switch value {
            case let text as String:
                return text.utf8.contains(0) ? (path.isEmpty ? "body" : path) : nil
            case let array as [Any]:
                for (index, element) in array.enumerated() {
                    if let found = scan(element, path + "[\(index)]") { return found }
                }
                return nil
            case let object as [String: Any]:
                for key in object.keys.sorted() {
                    let child = path.isEmpty ? key : path + "." + key
                    if key.utf8.contains(0) { return path.isEmpty ? "body" : path }
                    if let found = scan(object[key]!, child) { return found }
                }
                return nil
            default:
                return nil
            }
        }
        return scan(root, "")
    }

    // MARK: - Pure predicates

    /// C0 and C1 controls and DEL (Unicode general category Cc).
    package static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        IdentifierRule.isControl(scalar)
    }

    /// Strict percent-decoding for path segments and query values: `nil` when an escape is
    /// malformed or the bytes are not UTF-8 (Hummingbird keeps path segments encoded and decodes
    /// query values leniently, replacing invalid UTF-8). `+` stays `+`.
    package static func percentDecoded(_ text: Substring) -> String? {
        let utf8 = text.utf8
        guard utf8.contains(UInt8(ascii: "%")) else { return String(text) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count)
        var index = utf8.startIndex
        while index != utf8.endIndex {
            let byte = utf8[index]
            if byte == UInt8(ascii: "%") {
                let high = utf8.index(after: index)
                guard high != utf8.endIndex else { return nil }
                let low = utf8.index(after: high)
                guard low != utf8.endIndex, let h = utf8[high].hexDigitValue, let l = utf8[low].hexDigitValue else { return nil }
                bytes.append(h << 4 | l)
                index = utf8.index(after: low)
            } else {
                bytes.append(byte)
                index = utf8.index(after: index)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }
}
