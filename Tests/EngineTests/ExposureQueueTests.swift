import Experiments
import Foundation
import Testing

@testable import Engine

/// The exposure writer's queue rules, without a database.
@Suite struct ExposureQueueTests {
    private func row(_ index: Int, at queuedAt: UInt64) -> ExposureQueue.Row {
        ExposureQueue.Row(
            record: ExposureRecord(
                requestID: "request-\(index)", userID: "shopper-\(index)", widget: "homepage", experimentKey: nil,
                variantKey: nil, items: ["p-\(index)"], latencyMilliseconds: nil, createdAt: Date(timeIntervalSince1970: 0)),
            queuedAt: queuedAt)
    }

    @Test func aBatchInAWriteAttemptStillCounts() {
        var queue = ExposureQueue(capacity: 100)
        for index in 0..<30 { _ = queue.append(row(index, at: UInt64(100 + index))) }
        let batch = queue.take(limit: 20)
        #expect(batch?.rows.count == 20)
        // What /health reads while PostgreSQL does not answer the write.
        #expect(queue.count == 30)
        #expect(queue.oldestQueuedAt == 100)
        queue.settle(batch!)
        #expect(queue.count == 10)
        #expect(queue.oldestQueuedAt == 120)
    }

    @Test func unwrittenRowsGoBackAheadOfNewerOnes() {
        var queue = ExposureQueue(capacity: 100)
        for index in 0..<5 { _ = queue.append(row(index, at: UInt64(index))) }
        let batch = queue.take(limit: 3)!
        _ = queue.append(row(5, at: 5))
        queue.settle(batch, unwritten: Array(batch.rows.suffix(2)))
        #expect(queue.count == 5)
        #expect(queue.oldestQueuedAt == 1)
        let order = queue.removeWaiting().map(\.record.requestID)
        #expect(order == ["request-1", "request-2", "request-3", "request-4", "request-5"])
        #expect(queue.count == 0)
        #expect(queue.oldestQueuedAt == nil)
    }

    @Test func overflowDropsTheOldestWaitingRows() {
        var queue = ExposureQueue(capacity: 3)
        var dropped = 0
        for index in 0..<5 { dropped += queue.append(row(index, at: UInt64(index))) }
        #expect(dropped == 2)
        #expect(queue.removeWaiting().map(\.record.requestID) == ["request-2", "request-3", "request-4"])
    }

    @Test func anEmptyQueueGivesNoBatch() {
        var queue = ExposureQueue(capacity: 10)
        #expect(queue.take(limit: 5) == nil)
        _ = queue.append(row(0, at: 7))
        let first = queue.take(limit: 5)!
        _ = queue.append(row(1, at: 9))
        let second = queue.take(limit: 5)!
        #expect(queue.count == 2)
        queue.settle(second)
        #expect(queue.oldestQueuedAt == 7, "the first batch is still unsettled")
        queue.settle(first)
        #expect(queue.count == 0)
    }
}
