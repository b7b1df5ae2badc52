import Foundation

/// The column names of one result, shared by all its rows.
public final class PostgresColumns: Sendable {
    public let names: [String]
    private let indexByName: [String: Int]

    init(names: [String]) {
        self.names = names
        var indexByName = [String: Int](minimumCapacity: names.count)
        for (index, name) in names.enumerated() where indexByName[name] == nil { indexByName[name] = index }
        self.indexByName = indexByName
    }

    func index(of name: String) -> Int? { indexByName[name] }
}

/// One result row: the values in PostgreSQL's text output format (`nil` = SQL NULL), decoded on
/// request by column name or index. Decoding a NULL with a non-optional accessor, a missing
/// column or an unparsable value throws `PostgresError` with code `.decoding`.
public struct PostgresRow: Sendable {
    public let columns: PostgresColumns
    public let values: [String?]

    public init(columns: PostgresColumns, values: [String?]) {
        self.columns = columns
        self.values = values
    }

    public var count: Int { values.count }

    /// The raw text of a column (nil for NULL).
    public func raw(_ column: String) throws -> String? { values[try index(column)] }
    public func raw(_ index: Int) throws -> String? {
        guard values.indices.contains(index) else { throw decodingError("no column at index \(index)") }
        return values[index]
    }

    public func isNull(_ column: String) throws -> Bool { try raw(column) == nil }

    // MARK: By name

    public func string(_ column: String) throws -> String { try required(try index(column), as: "text") }
    public func optionalString(_ column: String) throws -> String? { try raw(column) }
    public func int(_ column: String) throws -> Int { try int(try index(column)) }
    public func optionalInt(_ column: String) throws -> Int? { try optional(try index(column)) { try int($0) } }
    public func double(_ column: String) throws -> Double { try double(try index(column)) }
    public func optionalDouble(_ column: String) throws -> Double? {
        try optional(try index(column)) { try double($0) }
    }
    public func bool(_ column: String) throws -> Bool { try bool(try index(column)) }
    public func date(_ column: String) throws -> Date { try date(try index(column)) }
    public func optionalDate(_ column: String) throws -> Date? { try optional(try index(column)) { try date($0) } }
    public func floats(_ column: String) throws -> [Float] { try floats(try index(column)) }
    public func strings(_ column: String) throws -> [String] { try strings(try index(column)) }
    public func bytes(_ column: String) throws -> Data { try bytes(try index(column)) }

    // MARK: By index

    public func string(_ index: Int) throws -> String { try required(index, as: "text") }

    public func int(_ index: Int) throws -> Int {
        let text = try required(index, as: "integer")
        guard let value = Int(text) else { throw decodingError("column \(name(index)) is not an integer") }
        return value
    }

    public func double(_ index: Int) throws -> Double {
        let text = try required(index, as: "double")
        switch text {
        case "NaN": return .nan
        case "Infinity": return .infinity
        case "-Infinity": return -.infinity
        default:
            guard let value = Double(text) else { throw decodingError("column \(name(index)) is not a number") }
            return value
        }
    }

    public func bool(_ index: Int) throws -> Bool {
        switch try required(index, as: "boolean") {
        case "t", "true": return true
        case "f", "false": return false
        default: throw decodingError("column \(name(index)) is not a boolean")
        }
    }

    public func date(_ index: Int) throws -> Date {
        let text = try required(index, as: "timestamp")
        guard let date = PostgresTimestamp.parse(text) else {
            throw decodingError("column \(name(index)) is not a timestamp")
        }
        return date
    }

    /// A `real[]` / `double precision[]` / `numeric[]` one-dimensional array without NULLs.
    /// - Complexity: O(n) in the text length, no intermediate strings.
    public func floats(_ index: Int) throws -> [Float] {
        let text = try required(index, as: "real[]")
        guard let values = PostgresArrayText.parseFloats(text) else {
            throw decodingError("column \(name(index)) is not a one-dimensional array of numbers")
        }
        return values
    }

    /// A `text[]` one-dimensional array (NULL elements are not allowed).
    public func strings(_ index: Int) throws -> [String] {
        let text = try required(index, as: "text[]")
        guard let values = PostgresArrayText.parseStrings(text) else {
            throw decodingError("column \(name(index)) is not a one-dimensional array of text")
        }
        return values
    }

    /// A `bytea` value (hex output format).
    public func bytes(_ index: Int) throws -> Data {
        let text = try required(index, as: "bytea")
        guard let data = PostgresBytes.parseHex(text) else { throw decodingError("column \(name(index)) is not bytea") }
        return data
    }

    // MARK: Helpers

    private func index(_ column: String) throws -> Int {
        guard let index = columns.index(of: column) else {
            throw decodingError("no column named \(column)")
        }
        return index
    }

    private func name(_ index: Int) -> String {
        columns.names.indices.contains(index) ? columns.names[index] : "#\(index)"
    }

    private func required(_ index: Int, as type: String) throws -> String {
        guard values.indices.contains(index) else { throw decodingError("no column at index \(index)") }
        guard let text = values[index] else {
            throw decodingError("column \(name(index)) is NULL, expected \(type)")
        }
        return text
    }

    private func optional<T>(_ index: Int, _ decode: (Int) throws -> T) throws -> T? {
        guard values.indices.contains(index) else { throw decodingError("no column at index \(index)") }
        return values[index] == nil ? nil : try decode(index)
    }

    /// Column names are schema, not data, so the message may name them; values never appear.
    private func decodingError(_ message: String) -> PostgresError {
        PostgresError(code: .decoding, detail: message)
    }
}

/// Array output format parsing (`{1.5,2}`, `{"a b",c}`).
enum PostgresArrayText {
    static func parseFloats(_ text: String) -> [Float]? {
        var text = text
        return text.withUTF8 { bytes -> [Float]? in
            guard bytes.count >= 2, bytes[0] == UInt8(ascii: "{"), bytes[bytes.count - 1] == UInt8(ascii: "}") else {
                return nil
            }
            if bytes.count == 2 { return [] }
            var result = [Float]()
            result.reserveCapacity(bytes.count / 8)
            var start = 1
            var scratch = [CChar](repeating: 0, count: 64)
            for position in 1..<bytes.count where bytes[position] == UInt8(ascii: ",") || position == bytes.count - 1 {
                let length = position - start
                guard length > 0, length < scratch.count else { return nil }
                for offset in 0..<length { scratch[offset] = CChar(bitPattern: bytes[start + offset]) }
                scratch[length] = 0
                let parsed: Float? = scratch.withUnsafeBufferPointer { buffer in
                    var end: UnsafeMutablePointer<CChar>?
                    let value = strtof(buffer.baseAddress!, &end)
                    guard let end, end - UnsafeMutablePointer(mutating: buffer.baseAddress!) == length else { return nil }
                    return value
                }
                guard let parsed else { return nil }
                result.append(parsed)
                start = position + 1
            }
            return result
        }
    }

    static func parseStrings(_ text: String) -> [String]? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 2, bytes.first == UInt8(ascii: "{"), bytes.last == UInt8(ascii: "}") else { return nil }
        if bytes.count == 2 { return [] }
        var result = [String]()
        var index = 1
        let end = bytes.count - 1
        while index < end {
            var element = [UInt8]()
            if bytes[index] == UInt8(ascii: "\"") {
                index += 1
                while index < end, bytes[index] != UInt8(ascii: "\"") {
                    if bytes[index] == UInt8(ascii: "\\") { index += 1 }
                    guard index < end else { return nil }
                    element.append(bytes[index])
                    index += 1
                }
                guard index < end else { return nil }
                index += 1  // closing quote
            } else {
                while index < end, bytes[index] != UInt8(ascii: ",") {
                    element.append(bytes[index])
                    index += 1
                }
                if element == Array("NULL".utf8) { return nil }
            }
            result.append(String(decoding: element, as: UTF8.self))
            if index < end {
                guard bytes[index] == UInt8(ascii: ",") else { return nil }
                index += 1
            }
        }
        return result
    }
}
