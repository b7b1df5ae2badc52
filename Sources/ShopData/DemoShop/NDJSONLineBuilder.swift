import Domain
import Foundation
import Support

/// Builds flat JSON objects, one per line, straight into a byte buffer: the demo shop writes
/// a million events, and `JSONEncoder` per line would be the slowest part of generating them.
struct NDJSONLineBuilder {
    private(set) var bytes: [UInt8] = []
    private var first = true

    init(capacity: Int = 1 << 20) {
        bytes.reserveCapacity(capacity)
    }

    mutating func begin() {
        bytes.append(UInt8(ascii: "{"))
        first = true
    }

    mutating func end() {
        bytes.append(UInt8(ascii: "}"))
        bytes.append(UInt8(ascii: "\n"))
    }

    mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
    }

    private mutating func key(_ name: StaticString) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        first = false
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }

    mutating func string(_ name: StaticString, _ value: String) {
        key(name)
        bytes.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                bytes.append(UInt8(ascii: "\\"))
                bytes.append(byte)
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: Array("\\u00".utf8))
                bytes.append(hex[Int(byte >> 4)])
                bytes.append(hex[Int(byte & 0xf)])
            default:
                bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func integer(_ name: StaticString, _ value: Int) {
        key(name)
        bytes.append(contentsOf: String(value).utf8)
    }

    /// Two decimals, exactly (prices and values in the shop's currency).
    mutating func money(_ name: StaticString, _ value: Double) {
        key(name)
        let cents = Int((value * 100).rounded())
        bytes.append(contentsOf: String(cents / 100).utf8)
        bytes.append(UInt8(ascii: "."))
        let remainder = abs(cents % 100)
        bytes.append(UInt8(ascii: "0") + UInt8(remainder / 10))
        bytes.append(UInt8(ascii: "0") + UInt8(remainder % 10))
    }

    mutating func bool(_ name: StaticString, _ value: Bool) {
        key(name)
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
    }

    mutating func null(_ name: StaticString) {
        key(name)
        bytes.append(contentsOf: "null".utf8)
    }

    /// `YYYY-MM-DDTHH:MM:SSZ` (UTC, whole seconds), computed without a formatter.
    mutating func timestamp(_ name: StaticString, _ date: Date) {
        key(name)
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: ISO8601Text.string(date).utf8)
        bytes.append(UInt8(ascii: "\""))
    }
}
