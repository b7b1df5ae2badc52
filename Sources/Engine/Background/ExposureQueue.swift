import Experiments

/// The exposure writer's rows between `record` and PostgreSQL: those waiting, and the batches a
/// flush has taken and not yet settled.
///
/// A taken batch still counts in `count` and `oldestQueuedAt` until it is settled: while
/// PostgreSQL does not answer, a write attempt can hold a batch for a connection timeout, and
/// `/health` must not read an empty queue (and say `ok`) while those rows are unwritten.
/// A pure value, so its rules are tested without a database; the writer keeps it under a lock.
struct ExposureQueue: Sendable {
    /// One queued row and when it was queued (`DispatchTime` uptime nanoseconds).
    struct Row: Sendable {
        var record: ExposureRecord
        var queuedAt: UInt64
    }

    /// Rows a flush took, to be settled once written or handed back.
    struct Batch: Sendable {
        fileprivate let id: Int
        let rows: [Row]
    }

    /// The most rows waiting while PostgreSQL is down; beyond it the oldest are dropped.
    let capacity: Int
    private var waiting: [Row] = []
    /// Each unsettled batch: its id, size and the time its oldest row was queued.
    private var taken: [(id: Int, count: Int, oldest: UInt64)] = []
    private var nextBatchID = 0

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// Rows not yet written: waiting and taken by a flush.
    var count: Int { waiting.count + taken.reduce(0) { $0 + $1.count } }

    /// When the oldest unwritten row was queued; nil when there is none.
    var oldestQueuedAt: UInt64? {
        let oldestTaken = taken.lazy.map(\.oldest).min()
        switch (waiting.first?.queuedAt, oldestTaken) {
        case (let a?, let b?): return min(a, b)
        case (let a, let b): return a ?? b
        }
    }

    /// Queues a row.
    /// - Returns: how many of the oldest waiting rows were dropped to stay within `capacity`.
    mutating func append(_ row: Row) -> Int {
        waiting.append(row)
        guard waiting.count > capacity else { return 0 }
        let excess = waiting.count - capacity
        waiting.removeFirst(excess)
        return excess
    }

    /// Takes up to `limit` of the oldest waiting rows for one write; nil when none wait.
    mutating func take(limit: Int) -> Batch? {
        let size = min(waiting.count, max(1, limit))
        guard size > 0 else { return nil }
        let rows = Array(waiting.prefix(size))
        waiting.removeFirst(size)
        let id = nextBatchID
        nextBatchID &+= 1
        taken.append((id: id, count: size, oldest: rows.map(\.queuedAt).min()!))
        return Batch(id: id, rows: rows)
    }

    /// Settles a taken batch: `unwritten` (rows PostgreSQL did not take) go back to the front of
    /// the queue, ahead of rows queued since, so the order of writes is kept.
    mutating func settle(_ batch: Batch, unwritten: [Row] = []) {
        taken.removeAll { $0.id == batch.id }
        waiting.insert(contentsOf: unwritten, at: 0)
    }

    /// Empties the waiting rows and returns them (at shutdown, to spill).
    mutating func removeWaiting() -> [Row] {
        defer { waiting.removeAll() }
        return waiting
    }
}
