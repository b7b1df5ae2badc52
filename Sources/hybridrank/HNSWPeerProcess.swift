import Foundation

/// hnswlib (`Benchmarks/candidates/hnswlib_compare.py --serve`) kept alive beside the Swift
/// index, so that `bench candidates` can run the two libraries' sweeps alternately, round after
/// round: a sweep is a fraction of a second, and two sweeps minutes apart measure the host's other
/// tenants as much as the code.
final class HNSWPeerProcess {
    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private var buffer = Data()

    /// Starts the script; it builds its index before it answers, so the first `readJSON()` waits for the build.
    init(python: String, arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python, "Benchmarks/candidates/hnswlib_compare.py", "--serve"] + arguments
        process.standardInput = input
        process.standardOutput = output
        try process.run()
    }

    /// The next line the script prints, as a JSON object; nil when it ended or printed something else.
    func readJSON() -> [String: Any]? {
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = buffer[buffer.startIndex..<newline]
                buffer = Data(buffer[buffer.index(after: newline)...])
                return (try? JSONSerialization.jsonObject(with: line)) as? [String: Any]
            }
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { return nil }
            buffer.append(chunk)
        }
    }

    /// One pass of every query at `ef` in hnswlib: its sweep row.
    func sweep(ef: Int) -> [String: Any]? {
        input.fileHandleForWriting.write(Data("sweep \(ef)\n".utf8))
        return readJSON()
    }

    /// Ends the sweeps; returns the script's last line (its parallel build, when it was asked for one).
    func finish() -> [String: Any]? {
        input.fileHandleForWriting.write(Data("quit\n".utf8))
        try? input.fileHandleForWriting.close()
        let last = readJSON()
        process.waitUntilExit()
        return last
    }
}
