/// RFC 4180 CSV (commas, `"` quoting, `""` for a quote inside quotes), read one way for the two
/// kinds of input the project has:
/// - import files, line by line and strict: an unclosed quote or text after a closing quote is
///   an error the importer reports for that row (`fields(ofLine:)`);
/// - the evaluation data sets, whole and lenient as Python's `csv` module is: a quoted field may
///   span lines, carriage returns are dropped (`records(in:)`).
public enum CSV {
    /// `field` as one CSV field: as it is, or between quotes with quotes doubled when it holds a
    /// comma, a quote or a line break (RFC 4180) — what `records(in:)` reads back unchanged.
    public static func field(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else { return field }
        return "\"" + field.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
    }

    /// The fields of one line, or nil when a quote is not closed or text follows a closing quote.
    /// - Complexity: O(n) in the line length.
    public static func fields(ofLine line: String) -> [String]? {
        var bytes = Array(line.utf8)
        if bytes.last == 0x0D { bytes.removeLast() }
        var scanner = Scanner(strict: true)
        for byte in bytes {
            guard scanner.consume(byte, splitsRecords: false) else { return nil }
        }
        scanner.finish()
        guard !scanner.inQuotes else { return nil }
        scanner.endField()
        return scanner.row
    }

    /// Every record of a whole file (LF or CRLF line ends); empty lines are skipped.
    public static func records(in bytes: [UInt8]) -> [[String]] {
        var scanner = Scanner(strict: false)
        for byte in bytes { _ = scanner.consume(byte, splitsRecords: true) }
        scanner.finish()
        if !scanner.field.isEmpty || !scanner.row.isEmpty { scanner.endRecord() }
        return scanner.records.filter { !($0.count == 1 && $0[0].isEmpty) }
    }

    /// The state machine both readers share.
    private struct Scanner {
        let strict: Bool
        var field: [UInt8] = []
        var row: [String] = []
        var records: [[String]] = []
        var inQuotes = false
        /// A quote just closed (strict: only a comma may follow).
        var afterClosingQuote = false
        /// The previous byte was a quote inside quotes: a second one is a literal quote.
        var pendingQuote = false

        init(strict: Bool) { self.strict = strict }

        /// The input ended: a quote waiting for a second one closed its field.
        mutating func finish() {
            if pendingQuote {
                pendingQuote = false
                inQuotes = false
                afterClosingQuote = true
            }
        }

        mutating func endField() {
            row.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            afterClosingQuote = false
        }

        mutating func endRecord() {
            endField()
            records.append(row)
            row.removeAll(keepingCapacity: true)
        }

        /// Takes one byte; false when strict reading finds text after a closing quote.
        mutating func consume(_ byte: UInt8, splitsRecords: Bool) -> Bool {
            if pendingQuote {
                pendingQuote = false
                if byte == 0x22 {
                    field.append(0x22)
                    return true
                }
                inQuotes = false
                afterClosingQuote = true
            }
            if inQuotes {
                if byte == 0x22 { pendingQuote = true } else { field.append(byte) }
                return true
            }
            switch byte {
            case 0x2C:
                endField()
            case 0x0A where splitsRecords:
                endRecord()
            case 0x0D where !strict:
                break
            case 0x22 where !strict || (field.isEmpty && !afterClosingQuote):
                inQuotes = true
            default:
                if strict && afterClosingQuote { return false }
                field.append(byte)
            }
            return true
        }
    }
}
