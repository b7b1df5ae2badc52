import Foundation
import Testing

/// Runs the suites and tests it is attached to on threads of their own instead of Swift's
/// cooperative pool.
///
/// The pool has one thread per core, and everything async in the test process shares it: every
/// in-process server, its test client, every test. A synchronous, CPU-bound test (a model checked
/// against its reference logits: 17–30 s each in a debug build) holds its pool thread until it
/// returns; on a 2-core machine two of them at once left no thread for anything else, and in a
/// full run the pool stood still for 26 s (`ChildProcessTests` measures it) — past the live test
/// client's 20 s read timeout, which failed unrelated server tests now and then. On threads of
/// their own such tests share the cores with the pool through the OS scheduler instead of taking
/// its threads away.
public struct OwnThreadsTrait: SuiteTrait, TestTrait, TestScoping {
    public var isRecursive: Bool { true }

    public func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        try await withTaskExecutorPreference(DedicatedThreadsExecutor.shared) { try await function() }
    }
}

extension Trait where Self == OwnThreadsTrait {
    /// Run on threads of their own, off the cooperative pool (`OwnThreadsTrait`).
    public static var ownThreads: Self { Self() }
}

/// A task executor with threads of its own (as many as cores) taking jobs first in, first out.
public final class DedicatedThreadsExecutor: TaskExecutor, @unchecked Sendable {
    public static let shared = DedicatedThreadsExecutor(threads: max(2, ProcessInfo.processInfo.activeProcessorCount))

    private let condition = NSCondition()
    /// Guarded by `condition`.
    private var jobs: [UnownedJob] = []

    /// `threads` threads of its own, which live as long as the process (the shared executor's do).
    public init(threads: Int) {
        for _ in 0..<threads {
            let thread = Thread { [unowned self] in
                Thread.current.threadDictionary[Self.marker] = true
                self.work()
            }
            // As a main thread's: the model and index tests recurse no deeper, but a pool
            // thread's stack is not smaller than this either.
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    private static let marker = "hybridrank.test.own-thread"

    /// Whether the caller runs on one of these threads.
    public static var isCurrentThreadOwn: Bool {
        Thread.current.threadDictionary[marker] as? Bool == true
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    private func work() {
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let job = jobs.removeFirst()
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
