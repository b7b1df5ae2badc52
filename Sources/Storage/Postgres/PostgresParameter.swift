import Foundation
import Support

/// A value bound to a `$n` placeholder. Values travel separately from the SQL text
/// (`PQexecParams`), in PostgreSQL's text input format, so no value can change a statement.
///
/// The server infers each parameter's type from its use; add a cast (`$1::real[]`) where the
/// context does not say.
public protocol PostgresParameter: Sendable {
    /// The value in PostgreSQL's text input format.
    var postgresText: String { get }
}

extension String: PostgresParameter {
    public var postgresText: String { self }
}

extension Substring: PostgresParameter {
    public var postgresText: String { String(self) }
}

extension Int: PostgresParameter {
    public var postgresText: String { String(self) }
}

extension Int64: PostgresParameter {
    public var postgresText: String { String(self) }
}

extension Int32: PostgresParameter {
    public var postgresText: String { String(self) }
}

extension Bool: PostgresParameter {
    public var postgresText: String { self ? "t" : "f" }
}

extension Double: PostgresParameter {
    /// Swift prints the shortest text that reads back to the same value, so values round-trip
    /// exactly through `double precision`.
    public var postgresText: String {
        if isNaN { return "NaN" }
        if isInfinite { return self < 0 ? "-Infinity" : "Infinity" }
        return description
    }
}

extension Float: PostgresParameter {
    /// Shortest round-tripping text, so values round-trip exactly through `real`.
    public var postgresText: String {
        if isNaN { return "NaN" }
        if isInfinite { return self < 0 ? "-Infinity" : "Infinity" }
        return description
    }
}

extension Date: PostgresParameter {
    /// ISO-8601 in UTC with microseconds (PostgreSQL's `timestamptz` resolution).
    public var postgresText: String { PostgresTimestamp.format(self) }
}

extension Data: PostgresParameter {
    /// `bytea` hex format (`\x0a1b…`).
    public var postgresText: String { PostgresBytes.hexLiteral(self) }
}

extension Array: PostgresParameter where Element: PostgresArrayElement {
    /// An array literal (`{1.5,-2}`, `{"a","b \"c\""}`) for `real[]`, `text[]`, `bigint[]`, …;
    /// use with `= ANY($1)` or to store vectors as `real[]`.
    public var postgresText: String {
        var text = "{"
        text.reserveCapacity(count * 10 + 2)
        for (index, element) in enumerated() {
            if index > 0 { text += "," }
            element.appendArrayElement(to: &text)
        }
        text += "}"
        return text
    }
}

/// Values that can appear inside an array parameter.
public protocol PostgresArrayElement: Sendable {
    /// Appends this value as one element of an array literal.
    func appendArrayElement(to text: inout String)
}

extension Float: PostgresArrayElement {
    public func appendArrayElement(to text: inout String) { text += postgresText }
}

extension Double: PostgresArrayElement {
    public func appendArrayElement(to text: inout String) { text += postgresText }
}

extension Int: PostgresArrayElement {
    public func appendArrayElement(to text: inout String) { text += String(self) }
}

extension Int64: PostgresArrayElement {
    public func appendArrayElement(to text: inout String) { text += String(self) }
}

extension String: PostgresArrayElement {
    /// Always quoted, with `"` and `\` escaped, so empty strings, `NULL` and commas survive.
    public func appendArrayElement(to text: inout String) {
        text += "\""
        for character in unicodeScalars {
            if character == "\"" || character == "\\" { text += "\\" }
            text.unicodeScalars.append(character)
        }
        text += "\""
    }
}

/// `bytea` text forms.
enum PostgresBytes {
    static func hexLiteral(_ data: Data) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var bytes = [UInt8]()
        bytes.reserveCapacity(2 + data.count * 2)
        bytes.append(UInt8(ascii: "\\"))
        bytes.append(UInt8(ascii: "x"))
        for byte in data {
            bytes.append(digits[Int(byte >> 4)])
            bytes.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Parses the hex output format `\x…`.
    static func parseHex(_ text: String) -> Data? {
        var utf8 = Array(text.utf8)
        guard utf8.count >= 2, utf8[0] == UInt8(ascii: "\\"), utf8[1] == UInt8(ascii: "x"),
            utf8.count % 2 == 0
        else { return nil }
        utf8.removeFirst(2)
        var data = Data(capacity: utf8.count / 2)
        var index = 0
        while index < utf8.count {
            guard let high = utf8[index].hexDigitValue, let low = utf8[index + 1].hexDigitValue else { return nil }
            data.append(high << 4 | low)
            index += 2
        }
        return data
    }
}
