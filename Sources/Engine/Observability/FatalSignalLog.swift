import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// One JSON log line when the process dies of a fatal signal (a Swift trap is SIGILL, a bad
/// pointer SIGSEGV or SIGBUS, `abort()` SIGABRT), so a crash never leaves the log silent.
///
/// A signal handler may only call async-signal-safe functions: the lines are rendered at
/// `install()`, and the handler does nothing but `time`, digit arithmetic into a
/// preallocated buffer, `write(2)` and `sigaction`. It then puts back the handler that was
/// there before (Swift's backtracer, or the default) and lets the signal happen again, so the
/// process still dies, with the same status and, where configured, a backtrace and core.
public enum FatalSignalLog {
    /// The signals handled, and the names their lines carry.
    static let signals: [(number: Int32, name: String)] = [
        (SIGILL, "SIGILL"), (SIGSEGV, "SIGSEGV"), (SIGBUS, "SIGBUS"), (SIGABRT, "SIGABRT"), (SIGFPE, "SIGFPE"),
    ]
    /// Room for the digits of the time in the line.
    static let timeDigits = 20

    /// Per signal number (< 32): the line's bytes up to the time, after it, and the previous action.
    nonisolated(unsafe) private static var prefixes = [UnsafeMutableBufferPointer<UInt8>?](repeating: nil, count: 32)
    nonisolated(unsafe) private static var suffixes = [UnsafeMutableBufferPointer<UInt8>?](repeating: nil, count: 32)
    nonisolated(unsafe) private static var previous = Array<sigaction>(repeating: sigaction(), count: 32)
    nonisolated(unsafe) private static var scratch = UnsafeMutablePointer<UInt8>.allocate(capacity: 32)
    nonisolated(unsafe) private static var fileDescriptor: Int32 = STDOUT_FILENO
    nonisolated(unsafe) private static var installed = false

    /// The line for `name`, split where the Unix time in seconds goes (pure, for tests).
    static func lineParts(signal name: String, label: String) -> (prefix: String, suffix: String) {
        let prefix = #"{"level":"critical","label":"\#(label)","message":"fatal signal \#(name): the process is stopping","signal":"\#(name)","time_unix":"#
        return (prefix, "}\n")
    }

    /// Installs the handlers once (later calls do nothing). `fileDescriptor` is where log lines go.
    public static func install(label: String = "hybridrank", fileDescriptor: Int32 = STDOUT_FILENO) {
        guard !installed else { return }
        installed = true
        Self.fileDescriptor = fileDescriptor
        for (number, name) in signals {
            let (prefix, suffix) = lineParts(signal: name, label: label)
            prefixes[Int(number)] = copy(prefix)
            suffixes[Int(number)] = copy(suffix)
            var action = sigaction()
            action.__sigaction_handler.sa_sigaction = { signal, info, _ in
                FatalSignalLog.handle(signal, sentByProcess: (info?.pointee.si_code ?? 0) <= 0)
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = SA_SIGINFO
            var old = sigaction()
            if sigaction(number, &action, &old) == 0 { previous[Int(number)] = old }
        }
    }

    private static func copy(_ text: String) -> UnsafeMutableBufferPointer<UInt8> {
        let bytes = Array(text.utf8)
        let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: bytes.count)
        _ = buffer.initialize(from: bytes)
        return buffer
    }

    /// Runs in the signal handler: async-signal-safe calls only, no allocation, no locks.
    /// - Parameter sentByProcess: the signal came from `kill`/`raise`/`abort` (si_code ≤ 0),
    ///   not from a fault of the instruction being run.
    private static func handle(_ signal: Int32, sentByProcess: Bool) {
        let index = Int(signal)
        guard index >= 0, index < 32, let prefix = prefixes[index], let suffix = suffixes[index] else { return }
        var seconds = UInt64(max(0, time(nil)))
        var length = 0
        repeat {
            scratch[timeDigits - 1 - length] = UInt8(ascii: "0") + UInt8(seconds % 10)
            seconds /= 10
            length += 1
        } while seconds > 0 && length < timeDigits
        _ = write(fileDescriptor, prefix.baseAddress!, prefix.count)
        _ = write(fileDescriptor, scratch + (timeDigits - length), length)
        _ = write(fileDescriptor, suffix.baseAddress!, suffix.count)
        // Put back what was there and let the signal happen again: a fault re-executes the
        // faulting instruction on return (so a backtracer sees the real fault); a sent signal
        // (kill, abort) is raised again.
        var old = previous[index]
        sigaction(signal, &old, nil)
        if sentByProcess { raise(signal) }
    }
}
