import Domain
import Foundation
import Logging
import NIOCore
import Support

/// Structured logs: one JSON object per line (`time`, `level`, `label`, `source`, `message`,
/// `metadata`, and `error` when one was passed), for log shippers that parse JSON lines.
///
/// Why not swift-log's `StreamLogHandler`: it renders every metadata value to text each time one
/// key is set, and Hummingbird sets the request id on every request's logger, so every request
/// paid for formatting metadata no line was ever written with. This handler keeps
/// the metadata as given and renders only the lines that pass the level.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    public var logLevel: Logger.Level = .info
    let label: String
    let fileDescriptor: Int32

    /// - Parameter fileDescriptor: where lines go (default standard output); each line is one
    ///   `write(2)`, so lines from concurrent requests never interleave.
    public init(label: String, fileDescriptor: Int32 = STDOUT_FILENO, metadataProvider: Logger.MetadataProvider? = nil) {
        self.label = label
        self.fileDescriptor = fileDescriptor
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let line = Self.line(event: event, label: label, metadata: mergedMetadata(event.metadata), now: Date())
        line.withUnsafeReadableBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = write(fileDescriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if written <= 0 {
                    if written < 0, errno == EINTR { continue }
                    return  // a closed or full log stream must not stop the service
                }
                offset += written
            }
        }
    }

    /// Handler metadata, then the provider's, then the call's (later keys win, as in swift-log).
    private func mergedMetadata(_ explicit: Logger.Metadata?) -> Logger.Metadata {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let explicit { merged.merge(explicit) { _, new in new } }
        return merged
    }

    /// The JSON line for one event (pure, for tests).
    static func line(event: LogEvent, label: String, metadata: Logger.Metadata, now: Date) -> ByteBuffer {
        var writer = JSONByteWriter(capacity: 256)
        writer.beginObject()
        writer.field("time", timestamp(now))
        writer.field("level", event.level.rawValue)
        writer.field("label", label)
        writer.field("source", event.source)
        writer.field("message", event.message.description)
        if !metadata.isEmpty {
            writer.key("metadata")
            render(.dictionary(metadata), to: &writer)
        }
        if let error = event.error { writer.field("error", String(describing: error)) }
        writer.endObject()
        var buffer = writer.buffer
        buffer.writeInteger(UInt8(ascii: "\n"))
        return buffer
    }

    /// `YYYY-MM-DDTHH:MM:SS.mmmZ` (UTC).
    static func timestamp(_ date: Date) -> String {
        let seconds = ISO8601Text.string(date)
        let milliseconds = Int((date.timeIntervalSince1970 - date.timeIntervalSince1970.rounded(.down)) * 1000)
        let digits = String(min(999, max(0, milliseconds)))
        return seconds.dropLast() + "." + String(repeating: "0", count: 3 - digits.count) + digits + "Z"
    }

    private static func render(_ value: Logger.Metadata.Value, to writer: inout JSONByteWriter) {
        switch value {
        case .string(let text):
            writer.string(text)
        case .stringConvertible(let convertible):
            writer.string(convertible.description)
        case .array(let values):
            writer.beginArray()
            for element in values { render(element, to: &writer) }
            writer.endArray()
        case .dictionary(let entries):
            writer.beginObject()
            // Sorted keys: the same metadata always renders the same line.
            for key in entries.keys.sorted() {
                writer.key(key)
                render(entries[key]!, to: &writer)
            }
            writer.endObject()
        }
    }
}
