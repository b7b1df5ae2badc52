import Foundation
import Synchronization
import Testing

/// `ChildProcess` awaits children without holding the cooperative pool's threads.
struct ChildProcessTests {
    /// More children than the pool has threads (one per core), each running three seconds: with
    /// `waitUntilExit()` every thread would block, and nothing else in the process would run until
    /// the first child exits. Here a ticker task keeps ticking while they run.
    @Test func childrenDoNotHoldTheCooperativePool() async throws {
        let children = ProcessInfo.processInfo.activeProcessorCount + 1
        let done = Atomic<Bool>(false)
        let ticker = Task {
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
        let statuses = try await withThrowingTaskGroup(of: Int32.self) { group in
            for _ in 0..<children {
                group.addTask { try await ChildProcess.run("/bin/sleep", ["3"]).status }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        done.store(true, ordering: .releasing)
        let longestGap = await ticker.value
        #expect(statuses == Array(repeating: 0, count: children))
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
