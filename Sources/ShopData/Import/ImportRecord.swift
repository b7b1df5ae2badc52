import Domain
import Foundation
import Support

/// One input row as named text fields, whatever the file format: CSV columns by header name,
/// NDJSON members by key. Empty strings and JSON nulls are absent.
public struct ImportRecord: Sendable, Hashable {
    /// 1-based line number in the file.
    public var line: Int
    public var fields: [String: String]

    /// The first present, non-blank value among `names` (aliases such as `user_id`/`customer_id`),
    /// trimmed of surrounding spaces.
    public func value(_ names: [String]) -> String? {
        for name in names {
            if let value = fields[name] {
                let trimmed = value.trimmingASCIISpaces()
                if !trimmed.isEmpty { return trimmed }
            }
        }
        return nil
    }

    /// A required value; the error names the first alias.
    public func required(_ names: [String]) throws(ImportRowError) -> String {
        guard let value = value(names) else { throw ImportRowError(line: line, field: names[0], reason: "is missing") }
        return value
    }

    /// An optional number; present but unparsable (or not finite) is an error.
    public func double(_ names: [String]) throws(ImportRowError) -> Double? {
        guard let text = value(names) else { return nil }
        guard let number = Double(text), number.isFinite else {
            throw ImportRowError(line: line, field: names[0], reason: "is not a number")
        }
        return number
    }

    /// A required id, held to `IdentifierRule` as the API holds it.
    public func id(_ names: [String]) throws(ImportRowError) -> String {
        let id = try required(names)
        try checkID(id, field: names[0])
        return id
    }

    /// An optional id, held to `IdentifierRule`.
    public func optionalID(_ names: [String]) throws(ImportRowError) -> String? {
        guard let id = value(names) else { return nil }
        try checkID(id, field: names[0])
        return id
    }

    private func checkID(_ id: String, field: String) throws(ImportRowError) {
        guard IdentifierRule.isValid(id) else {
            throw ImportRowError(
                line: line, field: field,
                reason: "is not an id (1–\(IdentifierRule.maximumLength) characters, no spaces or control characters)")
        }
    }

    /// An optional free text held to `TextRule` (at most `maximumCharacters`, no NUL or control
    /// characters but tab and line breaks), as the API holds it: PostgreSQL text cannot hold NUL,
    /// and one in a row would fail the whole file's `COPY`.
    public func text(_ names: [String], maximumCharacters: Int) throws(ImportRowError) -> String? {
        guard let text = value(names) else { return nil }
        guard TextRule.fits(text, maximumCharacters: maximumCharacters) else {
            throw ImportRowError(line: line, field: names[0], reason: "is longer than \(maximumCharacters) characters")
        }
        guard TextRule.isPrintable(text) else {
            throw ImportRowError(line: line, field: names[0], reason: "holds NUL or control characters")
        }
        return text
    }

    /// An optional time (`ImportTimestamp`'s forms) within `StoredRanges.timestamps`, as the API
    /// bounds one.
    public func timestamp(_ names: [String]) throws(ImportRowError) -> Date? {
        guard let text = value(names) else { return nil }
        guard let date = ImportTimestamp.parse(text) else {
            throw ImportRowError(line: line, field: names[0], reason: "is not a timestamp")
        }
        guard StoredRanges.timestamps.contains(date) else {
            throw ImportRowError(line: line, field: names[0], reason: "is not between 1970 and 2200")
        }
        return date
    }

    /// An optional integer in `range`.
    public func int(_ names: [String], in range: ClosedRange<Int>) throws(ImportRowError) -> Int? {
        guard let number = try int(names) else { return nil }
        guard range.contains(number) else {
            throw ImportRowError(line: line, field: names[0], reason: "is not between \(range.lowerBound) and \(range.upperBound)")
        }
        return number
    }

    /// An optional integer; accepts `12` and `12.0`, rejects `12.5` and text.
    public func int(_ names: [String]) throws(ImportRowError) -> Int? {
        guard let text = value(names) else { return nil }
        if let number = Int(text) { return number }
        if let number = Double(text), number.isFinite, number.rounded() == number, abs(number) < 1e15 {
            return Int(number)
        }
        throw ImportRowError(line: line, field: names[0], reason: "is not an integer")
    }

    /// An optional boolean, spelled as `BooleanText` reads it (true/false, t/f, yes/no, on/off, 1/0, any case).
    public func bool(_ names: [String]) throws(ImportRowError) -> Bool? {
        guard let text = value(names) else { return nil }
        guard let value = BooleanText.parse(text) else { throw ImportRowError(line: line, field: names[0], reason: "is not a boolean") }
        return value
    }
}

extension String {
    /// Without leading and trailing spaces and tabs (no Foundation, no allocation when clean).
    func trimmingASCIISpaces() -> String {
        let utf8 = self.utf8
        guard let first = utf8.first, let last = utf8.last else { return self }
        if first != 0x20 && first != 0x09 && last != 0x20 && last != 0x09 && last != 0x0d { return self }
        var start = utf8.startIndex
        var end = utf8.endIndex
        while start < end, [0x20, 0x09, 0x0d].contains(utf8[start]) { start = utf8.index(after: start) }
        while end > start, [0x20, 0x09, 0x0d].contains(utf8[utf8.index(before: end)]) { end = utf8.index(before: end) }
        return String(self[start..<end])
    }
}
