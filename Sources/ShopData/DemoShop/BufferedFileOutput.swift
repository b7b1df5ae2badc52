import Foundation
import NIOCore
import Support

/// A file written in large chunks from a `JSONByteWriter`'s buffer (one `write` per megabyte):
/// the demo shop's records are small and many.
final class BufferedFileOutput {
    /// Bytes gathered before one `write`.
    static let chunk = 1 << 20
    private let handle: FileHandle

    init(url: URL) throws {
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)  // FileHandle below throws if it failed
        handle = try FileHandle(forWritingTo: url)
        try handle.truncate(atOffset: 0)
    }

    func writeIfFull(_ writer: inout JSONByteWriter) throws {
        guard writer.buffer.readableBytes >= Self.chunk else { return }
        try write(&writer)
    }

    func finish(_ writer: inout JSONByteWriter) throws {
        if writer.buffer.readableBytes > 0 { try write(&writer) }
        try handle.close()
    }

    private func write(_ writer: inout JSONByteWriter) throws {
        try writer.buffer.withUnsafeReadableBytes { try handle.write(contentsOf: $0) }
        writer.clear()
    }
}
