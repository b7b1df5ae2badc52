import Domain
import Foundation
import NIOCore

/// Writes JSON straight into a `ByteBuffer`, for the widget responses: every request of the
/// busiest routes ends in one, and Foundation's `JSONEncoder` (a boxed value tree, then a
/// serialisation pass) cost about a tenth of a cached product page's CPU.
///
/// The caller writes keys in sorted order, as `APIRoutes.encoder` (`.sortedKeys`) does, so both
/// paths give the same documents. Non-finite numbers are written as `null`.
struct JSONByteWriter {
    private(set) var buffer: ByteBuffer
    /// Whether the next value in the current object or array needs a comma first.
    private var needsComma = false

    init(capacity: Int = 2048) {
        buffer = ByteBufferAllocator().buffer(capacity: capacity)
    }

    mutating func beginObject() { open(UInt8(ascii: "{")) }
    mutating func endObject() { close(UInt8(ascii: "}")) }
    mutating func beginArray() { open(UInt8(ascii: "[")) }
    mutating func endArray() { close(UInt8(ascii: "]")) }

    /// `"name":"value"` in an object.
    mutating func field(_ name: StaticString, _ value: String) {
        key(name)
        string(value)
    }

    /// `"name":number` in an object.
    mutating func field(_ name: StaticString, _ value: some BinaryFloatingPoint & LosslessStringConvertible) {
        key(name)
        number(value)
    }

    /// `"name":["a","b"]` in an object.
    mutating func field(_ name: StaticString, _ values: [String]) {
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
    mutating func key(_ name: StaticString) {
        separate()
        buffer.writeInteger(UInt8(ascii: "\""))
        buffer.writeStaticString(name)
        buffer.writeString("\":")
        needsComma = false
    }

    /// A key that is data (a dictionary's key), escaped like any string.
    mutating func key(_ name: String) {
        string(name)
        buffer.writeInteger(UInt8(ascii: ":"))
        needsComma = false
    }

    mutating func string(_ value: String) {
        separate()
        buffer.writeInteger(UInt8(ascii: "\""))
        var value = value
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

    mutating func number(_ value: some BinaryFloatingPoint & LosslessStringConvertible) {
        separate()
        if value.isFinite { buffer.writeString(value.description) } else { buffer.writeString("null") }
        needsComma = true
    }

    mutating func number(_ value: Int) {
        separate()
        buffer.writeString(String(value))
        needsComma = true
    }

    /// `yyyy-MM-ddTHH:mm:ssZ` in UTC, as `JSONEncoder`'s `.iso8601` strategy writes it.
    mutating func date(_ value: Date) {
        string(ISO8601Text.string(value))
    }

    private mutating func separate() {
        if needsComma { buffer.writeInteger(UInt8(ascii: ",")) }
    }
}
