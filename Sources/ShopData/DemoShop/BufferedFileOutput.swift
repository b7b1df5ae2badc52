import Foundation

/// A file written in large chunks from a line builder's buffer (one `write` per megabyte).
final class BufferedFileOutput {
    private let handle: FileHandle
    private let chunk: Int

    init(url: URL, chunk: Int = 1 << 20) throws {
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)  // FileHandle below throws if it failed
        handle = try FileHandle(forWritingTo: url)
        try handle.truncate(atOffset: 0)
        self.chunk = chunk
    }

    func writeIfFull(_ line: inout NDJSONLineBuilder) throws {
        guard line.bytes.count >= chunk else { return }
        try handle.write(contentsOf: line.bytes)
        line.removeAll()
    }

    func finish(_ line: inout NDJSONLineBuilder) throws {
        if !line.bytes.isEmpty { try handle.write(contentsOf: line.bytes) }
        line.removeAll()
        try handle.close()
    }
}
