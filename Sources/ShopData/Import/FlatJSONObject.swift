/// Reads one NDJSON line holding a JSON object into text fields: strings unescaped, numbers
/// as written, booleans as `true`/`false`, nulls dropped, nested objects and arrays skipped.
/// Hand-written because import reads millions of lines and needs only this much of JSON.
public enum FlatJSONObject {
    /// The members of the object on `line`, or nil when it is not one valid JSON object.
    /// - Complexity: O(n) in the line length.
    public static func parse(_ line: String) -> [String: String]? {
        var line = line
        return line.withUTF8 { bytes -> [String: String]? in
            var parser = Parser(bytes: bytes)
            return parser.object()
        }
    }

    private struct Parser {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        mutating func object() -> [String: String]? {
            skipSpaces()
            guard consume(0x7b) else { return nil }  // {
            var fields = [String: String]()
            skipSpaces()
            if consume(0x7d) { return finished() ? fields : nil }
            while true {
                skipSpaces()
                guard let key = string() else { return nil }
                skipSpaces()
                guard consume(0x3a) else { return nil }  // :
                skipSpaces()
                guard index < bytes.count else { return nil }
                switch bytes[index] {
                case 0x22:
                    guard let value = string() else { return nil }
                    fields[key] = value
                case 0x74:
                    guard literal("true") else { return nil }
                    fields[key] = "true"
                case 0x66:
                    guard literal("false") else { return nil }
                    fields[key] = "false"
                case 0x6e:
                    guard literal("null") else { return nil }
                case 0x7b, 0x5b:
                    guard skipNested() else { return nil }
                default:
                    guard let number = number() else { return nil }
                    fields[key] = number
                }
                skipSpaces()
                if consume(0x2c) { continue }
                if consume(0x7d) { return finished() ? fields : nil }
                return nil
            }
        }

        private mutating func finished() -> Bool {
            skipSpaces()
            return index == bytes.count
        }

        private mutating func skipSpaces() {
            while index < bytes.count, [0x20, 0x09, 0x0a, 0x0d].contains(bytes[index]) { index += 1 }
        }

        private mutating func consume(_ byte: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }

        private mutating func literal(_ word: StaticString) -> Bool {
            let count = word.utf8CodeUnitCount
            guard index + count <= bytes.count else { return false }
            for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] { return false }
            index += count
            return true
        }

        private mutating func number() -> String? {
            let start = index
            while index < bytes.count {
                let byte = bytes[index]
                let isNumberByte = (byte >= 0x30 && byte <= 0x39) || byte == 0x2d || byte == 0x2b || byte == 0x2e
                    || byte == 0x65 || byte == 0x45
                if !isNumberByte { break }
                index += 1
            }
            guard index > start else { return nil }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        }

        private mutating func string() -> String? {
            guard consume(0x22) else { return nil }
            var output = [UInt8]()
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                switch byte {
                case 0x22:
                    return String(decoding: output, as: UTF8.self)
                case 0x5c:
                    guard index < bytes.count else { return nil }
                    let escape = bytes[index]
                    index += 1
                    switch escape {
                    case 0x22: output.append(0x22)
                    case 0x5c: output.append(0x5c)
                    case 0x2f: output.append(0x2f)
                    case 0x62: output.append(0x08)
                    case 0x66: output.append(0x0c)
                    case 0x6e: output.append(0x0a)
                    case 0x72: output.append(0x0d)
                    case 0x74: output.append(0x09)
                    case 0x75:
                        guard var scalar = hex4() else { return nil }
                        if (0xd800..<0xdc00).contains(scalar) {
                            // A surrogate pair: \uD83D\uDED2.
                            guard consume(0x5c), consume(0x75), let low = hex4(), (0xdc00..<0xe000).contains(low) else {
                                return nil
                            }
                            scalar = 0x10000 + ((scalar - 0xd800) << 10) + (low - 0xdc00)
                        }
                        guard let unicode = Unicode.Scalar(scalar) else { return nil }
                        output.append(contentsOf: Array(String(Character(unicode)).utf8))
                    default:
                        return nil
                    }
                default:
                    if byte < 0x20 { return nil }
                    output.append(byte)
                }
            }
            return nil
        }

        private mutating func hex4() -> UInt32? {
            guard index + 4 <= bytes.count else { return nil }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[index]
                let digit: UInt32
                switch byte {
                case 0x30...0x39: digit = UInt32(byte - 0x30)
                case 0x61...0x66: digit = UInt32(byte - 0x61 + 10)
                case 0x41...0x46: digit = UInt32(byte - 0x41 + 10)
                default: return nil
                }
                value = value << 4 | digit
                index += 1
            }
            return value
        }

        /// Skips a nested object or array, minding strings.
        private mutating func skipNested() -> Bool {
            var depth = 0
            while index < bytes.count {
                let byte = bytes[index]
                if byte == 0x22 {
                    guard string() != nil else { return false }
                    continue
                }
                index += 1
                if byte == 0x7b || byte == 0x5b { depth += 1 }
                if byte == 0x7d || byte == 0x5d {
                    depth -= 1
                    if depth == 0 { return true }
                }
            }
            return false
        }
    }
}
