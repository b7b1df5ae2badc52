/// Splits one CSV line (RFC 4180: commas, `"` quoting, `""` for a quote inside quotes).
/// Records spanning several lines are not supported: an unterminated quote is an error.
public enum CSVFields {
    /// The fields of `line`, or nil when a quote is not closed or text follows a closing quote.
    /// - Complexity: O(n) in the line length.
    public static func split(_ line: String) -> [String]? {
        var fields = [String]()
        var current = [UInt8]()
        var inQuotes = false
        var afterClosingQuote = false
        var bytes = Array(line.utf8)
        if bytes.last == 0x0d { bytes.removeLast() }
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if inQuotes {
                if byte == 0x22 {
                    if index + 1 < bytes.count, bytes[index + 1] == 0x22 {
                        current.append(0x22)
                        index += 1
                    } else {
                        inQuotes = false
                        afterClosingQuote = true
                    }
                } else {
                    current.append(byte)
                }
            } else if byte == 0x2c {
                fields.append(String(decoding: current, as: UTF8.self))
                current.removeAll(keepingCapacity: true)
                afterClosingQuote = false
            } else if byte == 0x22 && current.isEmpty && !afterClosingQuote {
                inQuotes = true
            } else {
                if afterClosingQuote { return nil }
                current.append(byte)
            }
            index += 1
        }
        if inQuotes { return nil }
        fields.append(String(decoding: current, as: UTF8.self))
        return fields
    }
}
