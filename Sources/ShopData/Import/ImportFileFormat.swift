import Support

/// The two input formats, chosen by file name: `.csv` / `.csv.gz` or `.ndjson` / `.jsonl` /
/// `.json` (each optionally `.gz`).
public enum ImportFileFormat: Sendable, Hashable {
    case csv
    case ndjson

    public init?(path: String) {
        var name = path.lowercased()
        if name.hasSuffix(".gz") { name.removeLast(3) }
        if name.hasSuffix(".csv") {
            self = .csv
        } else if name.hasSuffix(".ndjson") || name.hasSuffix(".jsonl") || name.hasSuffix(".json") {
            self = .ndjson
        } else {
            return nil
        }
    }
}

/// Turns the lines of one file into records: CSV lines by the header's column names, NDJSON
/// lines by their keys. Blank lines are skipped. Stateful for CSV (the header comes first).
public struct ImportRecordReader: Sendable {
    public let format: ImportFileFormat
    private var header: [String]?

    public init(format: ImportFileFormat) {
        self.format = format
    }

    /// The record on `line` (1-based), nil for the CSV header and blank lines.
    public mutating func record(_ text: String, line: Int) throws(ImportRowError) -> ImportRecord? {
        if text.utf8.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0d }) { return nil }
        switch format {
        case .ndjson:
            guard let fields = FlatJSONObject.parse(text) else {
                throw ImportRowError(line: line, field: nil, reason: "is not a JSON object")
            }
            return ImportRecord(line: line, fields: fields)
        case .csv:
            guard let values = CSV.fields(ofLine: text) else {
                throw ImportRowError(line: line, field: nil, reason: "has an unterminated quote")
            }
            guard let header else {
                var names = values.map { $0.trimmingASCIISpaces().lowercased() }
                // A UTF-8 byte order mark before the first column name.
                if let first = names.first, first.hasPrefix("\u{FEFF}") { names[0] = String(first.dropFirst()) }
                header = names
                return nil
            }
            guard values.count == header.count else {
                throw ImportRowError(
                    line: line, field: nil, reason: "has \(values.count) fields, the header has \(header.count)")
            }
            var fields = [String: String](minimumCapacity: values.count)
            for (name, value) in zip(header, values) where !value.isEmpty { fields[name] = value }
            return ImportRecord(line: line, fields: fields)
        }
    }
}
