import Foundation
import TestSupport
import Testing

/// `.ownThreads` moves a test off the cooperative pool onto `DedicatedThreadsExecutor`'s threads.
struct OwnThreadsTraitTests {
    @Test(.ownThreads) func aSynchronousTestRunsOnAnOwnThread() {
        #expect(DedicatedThreadsExecutor.isCurrentThreadOwn)
    }

    @Test(.ownThreads) func anAsyncTestResumesOnAnOwnThreadAfterASuspension() async throws {
        try await Task.sleep(for: .milliseconds(10))
        #expect(DedicatedThreadsExecutor.isCurrentThreadOwn)
    }

    @Test func withoutTheTraitItRunsOnThePool() {
        #expect(!DedicatedThreadsExecutor.isCurrentThreadOwn)
    }
}
