import Foundation
import Support

/// A CSV file read whole: header names and rows of fields. `.gz` files are decompressed through a
/// `gzip -dc` subprocess (no zlib dependency). Quoted fields (`"WRAP, CAROUSEL"`) and doubled
/// quotes are handled; the files here are small enough (≤ 30 MB) to hold in memory.
public struct CSVTable: Sendable {
    public var header: [String]
    public var rows: [[String]]

    public init(header: [String], rows: [[String]]) {
        self.header = header
        self.rows = rows
    }

    /// Index of a named column, or an error naming the column (never the data).
    public func column(_ name: String) throws -> Int {
        guard let index = header.firstIndex(of: name) else { throw EvaluationError.missingColumn(name) }
        return index
    }

    public static func read(_ url: URL) throws -> CSVTable {
        let data: Data
        if url.pathExtension == "gz" {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["gzip", "-dc", url.path]
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else { throw EvaluationError.unreadableFile(url.lastPathComponent) }
        } else {
            guard let contents = FileManager.default.contents(atPath: url.path) else {
                throw EvaluationError.unreadableFile(url.lastPathComponent)
            }
            data = contents
        }
        return parse(data)
    }

    /// Parses RFC 4180-style CSV bytes (LF or CRLF line ends); the first record is the header.
    public static func parse(_ data: Data) -> CSVTable {
        var rows = CSV.records(in: [UInt8](data))
        guard !rows.isEmpty else { return CSVTable(header: [], rows: []) }
        let header = rows.removeFirst()
        return CSVTable(header: header, rows: rows)
    }
}
