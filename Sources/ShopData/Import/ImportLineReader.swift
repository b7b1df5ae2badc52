import Foundation

/// Reads a text file line by line in 1 MiB blocks; `.gz` files are decompressed by a
/// `gzip -dc` child process (gzip is on every Debian machine; no zlib binding needed).
/// Lines come without their `\n` (and without a trailing `\r`).
public final class ImportLineReader: Sequence, IteratorProtocol {
    private let handle: FileHandle
    private let process: Process?
    private var buffer = [UInt8]()
    private var position = 0
    private var finished = false
    /// Bytes read so far from the (decompressed) stream, for progress.
    public private(set) var bytesRead = 0

    public init(path: String) throws {
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw ImportFileError(message: "cannot read \(path)")
        }
        if path.lowercased().hasSuffix(".gz") {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "exec gzip -dc -- \"$0\"", path]
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            self.process = process
            self.handle = pipe.fileHandleForReading
        } else {
            self.process = nil
            guard let handle = FileHandle(forReadingAtPath: path) else {
                throw ImportFileError(message: "cannot open \(path)")
            }
            self.handle = handle
        }
    }

    deinit {
        if let process, process.isRunning { process.terminate() }
        try? handle.close()
    }

    public func next() -> String? {
        while true {
            if let newline = buffer[position...].firstIndex(of: 0x0a) {
                var end = newline
                if end > position, buffer[end - 1] == 0x0d { end -= 1 }
                let line = String(decoding: buffer[position..<end], as: UTF8.self)
                position = newline + 1
                return line
            }
            if finished {
                guard position < buffer.count else { return nil }
                var end = buffer.count
                if buffer[end - 1] == 0x0d { end -= 1 }
                let line = String(decoding: buffer[position..<end], as: UTF8.self)
                position = buffer.count
                return line
            }
            buffer.removeSubrange(0..<position)
            position = 0
            let chunk = handle.readData(ofLength: 1 << 20)
            if chunk.isEmpty {
                finished = true
                if let process {
                    process.waitUntilExit()
                    if process.terminationStatus != 0 { failed = true }
                }
            } else {
                bytesRead += chunk.count
                buffer.append(contentsOf: chunk)
            }
        }
    }

    /// Whether `gzip` reported an error (a corrupt or truncated archive).
    public private(set) var failed = false
}

/// A file that cannot be read at all (as opposed to bad rows in it).
public struct ImportFileError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
