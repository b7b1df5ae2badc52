import Foundation

/// Child processes the tests run (services.sh, Chromium, gzip, the `hybridrank` binary), awaited
/// without holding a thread of Swift's cooperative pool.
///
/// `Process.waitUntilExit()` and reading a pipe to its end block the calling thread. The pool has
/// one thread per core, and every in-process server, test client and test of the suite shares it:
/// on a 2-core machine one Chromium render or `initdb` blocking one thread while a second test
/// blocked the other stalled unrelated suites' requests past the test client's 20 s read timeout.
enum ChildProcess {
    struct Result {
        var status: Int32
        /// Standard output, with standard error unless it was asked for apart.
        var output: String
        /// Standard error, when asked for apart.
        var errors: String
    }

    /// `hybridrank`, next to the test bundle in the build folder (`swift build --build-tests`
    /// builds it there).
    static var hybridrankBinary: String? {
        let folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [folder, folder.deletingLastPathComponent()] {
            let path = candidate.appendingPathComponent("hybridrank").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    /// Runs `executable` to its exit. Output goes to temporary files, not pipes: a daemon the child
    /// starts (PostgreSQL from services.sh) inherits the descriptors and would keep a pipe open.
    static func run(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil,
        currentDirectory: URL? = nil, separateErrors: Bool = false
    ) async throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        let outputFile = try temporaryFile("out")
        let errorFile = separateErrors ? try temporaryFile("err") : nil
        defer {
            try? FileManager.default.removeItem(at: outputFile)
            if let errorFile { try? FileManager.default.removeItem(at: errorFile) }
        }
        let output = try FileHandle(forWritingTo: outputFile)
        let errors = try errorFile.map { try FileHandle(forWritingTo: $0) }
        process.standardOutput = output
        process.standardError = errors ?? output
        process.standardInput = FileHandle.nullDevice
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            // Set before `run()`: the handler is not called for a child that exited earlier.
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        try output.close()
        try errors?.close()
        return Result(
            status: status,
            output: text(of: outputFile),
            errors: errorFile.map(text(of:)) ?? "")
    }

    /// Waits for a child started elsewhere (a `serve` replica) to exit, polling: its termination
    /// handler may already have been missed.
    static func waitForExit(_ process: Process) async {
        while process.isRunning {
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Runs `body`, then `cleanup` whether or not it threw: a `defer` that may await.
    static func ensuring<T>(_ body: () async throws -> T, cleanup: () async -> Void) async throws -> T {
        let result: T
        do {
            result = try await body()
        } catch {
            await cleanup()
            throw error
        }
        await cleanup()
        return result
    }

    /// The file's bytes as UTF-8, invalid sequences replaced (a page's DOM need not be valid).
    private static func text(of file: URL) -> String {
        String(decoding: (try? Data(contentsOf: file)) ?? Data(), as: UTF8.self)
    }

    private static func temporaryFile(_ kind: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            StorageTestEnvironment.uniqueName("hybridrank-child-\(kind)") + ".log")
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
        }
        return url
    }
}
