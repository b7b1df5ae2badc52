import Foundation
import NIOCore

/// Writes JSON straight into a `ByteBuffer`, for the widget responses: every request of the
/// busiest routes ends in one, and Foundation's `JSONEncoder` (a boxed value tree, then a
/// serialisation pass) cost about a tenth of a cached product page's CPU.
///
/// The caller writes keys in sorted order, as `HTTPBody.encoder` (`.sortedKeys`) does, so both
/// paths give the same documents. Non-finite numbers are written as `null`.
public struct JSONByteWriter {
    public private(set) var buffer: ByteBuffer
    /// Whether the next value in the current object or array needs a comma first.
    private var needsComma = false

    public init(capacity: Int = 2048) {
        buffer = ByteBufferAllocator().buffer(capacity: capacity)
    }

    public mutating func beginObject() { open(UInt8(ascii: "{")) }
    public mutating func endObject() { close(UInt8(ascii: "}")) }
    public mutating func beginArray() { open(UInt8(ascii: "[")) }
    public mutating func endArray() { close(UInt8(ascii: "]")) }

    /// `"name":"value"` in an object.
    public mutating func field(_ name: StaticString, _ value: String) {
        key(name)
        string(value)
    }

    /// `"name":number` in an object.
    public mutating func field(_ name: StaticString, _ value: some BinaryFloatingPoint & LosslessStringConvertible) {
        key(name)
        number(value)
    }

    /// `"name":["a","b"]` in an object.
    public mutating func field(_ name: StaticString, _ values: [String]) {
        key(name)
        beginArray()
        for value in values { string(value) }
        endArray()
    }

    private mutating func open(_ bracket: UInt8) {
        separate()
        buffer.writeInteger(bracket)
        needsComma = false
    }

    private mutating func close(_ bracket: UInt8) {
        buffer.writeInteger(bracket)
        needsComma = true
    }

    /// An object key; the value written next belongs to it.
    public mutating func key(_ name: StaticString) {
        name.withUTF8Buffer { name in
            // `,"name":` in one capacity check.
            piece(count: name.count + 3, quoted: false) { out in
                out[0] = UInt8(ascii: "\"")
                UnsafeMutableRawBufferPointer(rebasing: out[1...]).copyMemory(from: UnsafeRawBufferPointer(name))
                out[name.count + 1] = UInt8(ascii: "\"")
                out[name.count + 2] = UInt8(ascii: ":")
            }
        }
        needsComma = false
    }

    /// A key that is data (a dictionary's key), escaped like any string.
    public mutating func key(_ name: String) {
        string(name)
        buffer.writeInteger(UInt8(ascii: ":"))
        needsComma = false
    }

    public mutating func string(_ value: String) {
        var value = value
        let plain = value.withUTF8 { bytes in
            // Nearly every string needs no escape: `,"value"` in one capacity check.
            guard !bytes.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else {
                return false
            }
            piece(count: bytes.count, quoted: true) { out in
                out.copyMemory(from: UnsafeRawBufferPointer(bytes))
            }
            return true
        }
        if plain { return }
        separate()
        buffer.writeInteger(UInt8(ascii: "\""))
        value.withUTF8 { bytes in
            var start = 0
            for (index, byte) in bytes.enumerated() where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                buffer.writeBytes(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes)[start..<index]))
                switch byte {
                case UInt8(ascii: "\""): buffer.writeString("\\\"")
                case UInt8(ascii: "\\"): buffer.writeString("\\\\")
                case 0x0A: buffer.writeString("\\n")
                case 0x0D: buffer.writeString("\\r")
                case 0x09: buffer.writeString("\\t")
                default:
                    let hex: [UInt8] = Array("0123456789abcdef".utf8)
                    buffer.writeString("\\u00")
                    buffer.writeInteger(hex[Int(byte >> 4)])
                    buffer.writeInteger(hex[Int(byte & 0x0F)])
                }
                start = index + 1
            }
            buffer.writeBytes(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes)[start...]))
        }
        buffer.writeInteger(UInt8(ascii: "\""))
        needsComma = true
    }

    public mutating func number(_ value: some BinaryFloatingPoint & LosslessStringConvertible) {
        literal(value.isFinite ? value.description : "null")
    }

    public mutating func number(_ value: Int) {
        literal(String(value))
    }

    /// A value written as it is (a number's text), after its comma.
    private mutating func literal(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            piece(count: bytes.count, quoted: false) { out in
                out.copyMemory(from: UnsafeRawBufferPointer(bytes))
            }
        }
        needsComma = true
    }

    /// Writes the comma the position needs, then `count` bytes from `body` (between quotes when
    /// `quoted`), reserving the capacity once: the many small writes of a response each paid
    /// ByteBuffer's capacity and uniqueness checks (a few percent of a product page's CPU).
    private mutating func piece(count: Int, quoted: Bool, _ body: (UnsafeMutableRawBufferPointer) -> Void) {
        let comma = needsComma ? 1 : 0
        let quotes = quoted ? 2 : 0
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: comma + quotes + count) { out in
            if comma == 1 { out[0] = UInt8(ascii: ",") }
            if quoted {
                out[comma] = UInt8(ascii: "\"")
                out[comma + 1 + count] = UInt8(ascii: "\"")
            }
            body(UnsafeMutableRawBufferPointer(rebasing: out[(comma + quotes / 2)..<(comma + quotes / 2 + count)]))
            return comma + quotes + count
        }
        needsComma = true
    }

    /// `yyyy-MM-ddTHH:mm:ssZ` in UTC, as `JSONEncoder`'s `.iso8601` strategy writes it.
    public mutating func date(_ value: Date) {
        string(ISO8601Text.string(value))
    }

    private mutating func separate() {
        if needsComma { buffer.writeInteger(UInt8(ascii: ",")) }
    }
}
