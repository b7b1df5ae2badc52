import Foundation
import NIOCore

/// Writes JSON straight into a `ByteBuffer`: the widget responses, the JSON log lines and the
/// demo shop's NDJSON files. Every request of the busiest routes ends in one, and the demo shop
/// writes a record per event; Foundation's `JSONEncoder` builds a boxed value tree and then
/// serialises it, a cost neither path should pay per record.
///
/// The widget responses write keys in sorted order, as `HTTPBody.encoder` (`.sortedKeys`) does,
/// so both paths give the same documents. Non-finite numbers are written as `null`. For NDJSON,
/// `endLine()` closes a record and the next object starts without a comma.
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

    /// `"name":integer` in an object.
    public mutating func field(_ name: StaticString, _ value: Int) {
        key(name)
        number(value)
    }

    /// `"name":true` or `"name":false` in an object.
    public mutating func field(_ name: StaticString, _ value: Bool) {
        key(name)
        literal(value ? "true" : "false")
    }

    /// `"name":"yyyy-MM-ddTHH:mm:ssZ"` in an object (see `date(_:)`).
    public mutating func field(_ name: StaticString, _ value: Date) {
        key(name)
        date(value)
    }

    /// `"name":null` in an object.
    public mutating func nullField(_ name: StaticString) {
        key(name)
        literal("null")
    }

    /// `"name":12.30`: `value` rounded to exactly `fractionDigits` decimals (prices and values in
    /// a shop's currency, which a shortest round-trip `Double` description would write as `12.3`).
    public mutating func field(_ name: StaticString, _ value: Double, fractionDigits: Int) {
        key(name)
        guard value.isFinite, fractionDigits >= 0, fractionDigits <= 15 else {
            literal(value.isFinite ? value.description : "null")
            return
        }
        var scale = 1
        for _ in 0..<fractionDigits { scale *= 10 }
        let scaled = (value * Double(scale)).rounded()
        guard abs(scaled) < 9.0e15 else {
            literal(value.description)
            return
        }
        let units = Int(scaled)
        var text = units < 0 ? "-" : ""
        text += String(abs(units) / scale)
        if fractionDigits > 0 {
            let fraction = String(abs(units) % scale)
            text += "." + String(repeating: "0", count: fractionDigits - fraction.count) + fraction
        }
        literal(text)
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

    /// Ends one NDJSON record: a newline, after which the next value needs no comma.
    public mutating func endLine() {
        buffer.writeInteger(UInt8(ascii: "\n"))
        needsComma = false
    }

    /// The document as a `String` (one copy), for a text parameter such as a `jsonb` batch.
    public var string: String { String(buffer: buffer) }

    /// Empties the buffer, keeping its capacity, to write the next chunk of records.
    public mutating func clear() {
        buffer.clear()
        needsComma = false
    }

    private mutating func separate() {
        if needsComma { buffer.writeInteger(UInt8(ascii: ",")) }
    }
}
