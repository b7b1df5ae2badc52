import Experiments
import Foundation

/// Exposures that could not be written before the process stopped, kept on disk until the next
/// start writes them (`ExposureWriter`).
///
/// One file per spill, `exposures-<unix seconds>-<pid>-<random>.ndjson`, one `ExposureRecord` a
/// line (Foundation's JSON, dates as exact doubles). A spill is written to a `.tmp` name and
/// renamed, so a reader never sees half a file. Replaying is idempotent (exposures are keyed by
/// `request_id`), so two replicas sharing the directory may both replay a file harmlessly.
public struct ExposureSpool: Sendable {
    /// Where spill files live (created on first spill).
    public let directory: URL

    public init(directory: String) {
        self.directory = URL(fileURLWithPath: directory, isDirectory: true)
    }

    /// Writes `records` to a new spill file and returns its path.
    public func spill(_ records: [ExposureRecord]) throws -> URL {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var data = Data()
        data.reserveCapacity(records.count * 220)
        for record in records {
            data.append(try encoder.encode(record))
            data.append(UInt8(ascii: "\n"))
        }
        let name = "exposures-\(Int(Date().timeIntervalSince1970))-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).ndjson"
        let final = directory.appendingPathComponent(name)
        let temporary = directory.appendingPathComponent(name + ".tmp")
        try data.write(to: temporary)
        try FileManager.default.moveItem(at: temporary, to: final)
        return final
    }

    /// The spill files waiting to be replayed, oldest first (by name: the time leads).
    public func pendingFiles() -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasPrefix("exposures-") && $0.hasSuffix(".ndjson") }.sorted()
            .map { directory.appendingPathComponent($0) }
    }

    /// The records of one spill file; lines that do not decode are counted, not returned (a
    /// damaged line must not keep the rest of the file from being replayed).
    public func read(_ file: URL) throws -> (records: [ExposureRecord], unreadable: Int) {
        let data = try Data(contentsOf: file)
        let decoder = JSONDecoder()
        var records: [ExposureRecord] = []
        var unreadable = 0
        for line in data.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
            if let record = try? decoder.decode(ExposureRecord.self, from: Data(line)) {
                records.append(record)
            } else {
                unreadable += 1
            }
        }
        return (records, unreadable)
    }

    /// Removes a replayed file.
    public func remove(_ file: URL) {
        try? FileManager.default.removeItem(at: file)
    }
}
