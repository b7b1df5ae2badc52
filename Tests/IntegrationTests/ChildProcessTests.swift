import Foundation
import Synchronization
import TestSupport
import Testing

/// `ChildProcess` awaits children without holding the thread that awaits them.
struct ChildProcessTests {
    /// Three children of three seconds each, awaited on an executor with a single thread of its
    /// own, beside a ticker on the same thread: with `waitUntilExit()` the thread would block
    /// for each child in turn and the ticker stand still for three seconds at least. (On an
    /// executor of its own so that no other test's work on the cooperative pool can stall it.)
    @Test func childrenDoNotHoldTheThreadThatAwaitsThem() async throws {
        let executor = DedicatedThreadsExecutor(threads: 1)
        let done = Atomic<Bool>(false)
        let ticker = Task(executorPreference: executor) {
            let clock = ContinuousClock()
            var last = clock.now
            var longestGap = Duration.zero
            while !done.load(ordering: .acquiring) {
                try? await Task.sleep(for: .milliseconds(50))
                longestGap = max(longestGap, last.duration(to: clock.now))
                last = clock.now
            }
            return longestGap
        }
        let statuses = try await withTaskExecutorPreference(executor) {
            try await withThrowingTaskGroup(of: Int32.self) { group in
                for _ in 0..<3 {
                    group.addTask { try await ChildProcess.run("/bin/sleep", ["3"]).status }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
        }
        done.store(true, ordering: .releasing)
        let longestGap = await ticker.value
        #expect(statuses == [0, 0, 0])
        #expect(longestGap < .seconds(2), "the ticker stood still for \(longestGap) while the children ran")
    }

    @Test func outputAndErrorsAndStatusComeBack() async throws {
        let together = try await ChildProcess.run("/bin/sh", ["-c", "echo out; echo err >&2; exit 3"])
        #expect(together.status == 3)
        #expect(together.output.contains("out") && together.output.contains("err"))
        let apart = try await ChildProcess.run("/bin/sh", ["-c", "echo out; echo err >&2"], separateErrors: true)
        #expect(apart.status == 0)
        #expect(apart.output == "out\n")
        #expect(apart.errors == "err\n")
    }

    @Test func aMissingExecutableThrows() async {
        await #expect(throws: (any Error).self) { try await ChildProcess.run("/nonexistent/binary", []) }
    }

    @Test func ensuringCleansUpAfterAThrow() async {
        struct Boom: Error {}
        let cleaned = Atomic<Bool>(false)
        await #expect(throws: Boom.self) {
            try await ChildProcess.ensuring { () async throws -> Int in throw Boom() } cleanup: { cleaned.store(true, ordering: .relaxed) }
        }
        let cleanedUp = cleaned.load(ordering: .relaxed)
        #expect(cleanedUp)
    }
}
