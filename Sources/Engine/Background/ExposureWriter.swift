import Domain
import Experiments
import Foundation
import Logging
import NIOConcurrencyHelpers
import ServiceLifecycle
import Storage

/// Writes exposures to PostgreSQL in batches, off the request path.
///
/// `record` only appends to an in-memory queue; the `run` loop flushes every
/// `flushInterval` seconds or `batchSize` rows.
///
/// - PostgreSQL unreachable (a connection or server-state error): the rows stay queued and the
///   flush is retried with backoff, so nothing is lost while the process lives.
/// - PostgreSQL refuses the data (SQLSTATE classes 22 data exception, 23 integrity, 54 limits):
///   the batch is split in halves until the refused rows are alone; each is dead-lettered (a log
///   line that echoes no user data, `hybridrank_exposures_dead_lettered_total`) and the rest are
///   written, so one bad row can never stall the queue. Rows are keyed by `request_id`
///   (`ON CONFLICT DO NOTHING`), so writing a half again after a partial success is harmless.
/// - Graceful shutdown flushes what is left; what still cannot be written is spilled to
///   `ExposureSpool` and written at the next start. Either way one log line says how many rows
///   were flushed, spilled or lost.
public final class ExposureWriter: Service, Sendable {
    private typealias Queued = ExposureQueue.Row

    /// What a write attempt of some rows came to.
    private enum WriteOutcome {
        /// Every row written or dead-lettered.
        case done
        /// PostgreSQL is unavailable; these rows (a suffix of the attempted ones) are not written.
        case unavailable([Queued], any Error)
    }

    private let postgres: PostgresClient
    private let batchSize: Int
    private let flushInterval: Double
    private let spool: ExposureSpool?
    private let metrics: ServiceMetrics?
    private let logger: Logger
    /// Waiting rows and the batches being written; its capacity is the most rows held in memory
    /// while PostgreSQL is down (then the oldest are dropped and counted).
    private let queue: NIOLockedValueBox<ExposureQueue>
    private let dropped = NIOLockedValueBox(0)
    private let deadLettered = NIOLockedValueBox(0)
    /// Whether spill files may still be waiting (replay is tried again after each good flush).
    private let spoolPending = NIOLockedValueBox(true)

    /// - Parameters:
    ///   - spool: where rows go that cannot be written by shutdown (nil: they are counted as lost).
    ///   - metrics: dead-letter and drop counters.
    public init(
        postgres: PostgresClient, batchSize: Int, flushInterval: Double, spool: ExposureSpool? = nil,
        metrics: ServiceMetrics? = nil, capacity: Int = 1_000_000, logger: Logger
    ) {
        self.postgres = postgres
        self.batchSize = max(1, batchSize)
        self.flushInterval = flushInterval
        self.spool = spool
        self.metrics = metrics
        self.queue = NIOLockedValueBox(ExposureQueue(capacity: capacity))
        self.logger = logger
    }

    public func record(_ exposure: ExposureRecord) {
        let now = DispatchTime.now().uptimeNanoseconds
        let overflow = queue.withLockedValue { $0.append(Queued(record: exposure, queuedAt: now)) }
        if overflow > 0 {
            dropped.withLockedValue { $0 += overflow }
            metrics?.increment("hybridrank_exposures_dropped_total", labels: ["reason": "queue_full"], by: Double(overflow))
        }
    }

    /// Rows not yet written, a batch in a write attempt included.
    public var pending: Int { queue.withLockedValue { $0.count } }

    /// Seconds the oldest unwritten row has waited (0 when there is none).
    public var oldestPendingAge: Double {
        guard let oldest = queue.withLockedValue({ $0.oldestQueuedAt }) else { return 0 }
        let now = DispatchTime.now().uptimeNanoseconds
        return now > oldest ? Double(now - oldest) / 1e9 : 0
    }

    /// Rows PostgreSQL refused and that were set aside since the start.
    public var deadLetteredCount: Int { deadLettered.withLockedValue { $0 } }

    public func run() async throws {
        var backoff = flushInterval
        if !(await replaySpool()) { backoff = min(backoff * 2, 10) }
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let delay = backoff
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .milliseconds(Int(delay * 1000))) }
            var healthy = await flush()
            if healthy, spoolPending.withLockedValue({ $0 }) { healthy = await replaySpool() }
            backoff = healthy ? flushInterval : min(backoff * 2, 10)
        }
        await drainAtShutdown()
    }

    /// Writes everything queued; returns false when PostgreSQL is unavailable (rows stay queued).
    @discardableResult
    public func flush() async -> Bool {
        while true {
            guard let batch = queue.withLockedValue({ $0.take(limit: batchSize) }) else { return true }
            guard case .unavailable(let rest, let error) = await writeIsolating(batch.rows[...]) else {
                queue.withLockedValue { $0.settle(batch) }
                continue
            }
            queue.withLockedValue { $0.settle(batch, unwritten: rest) }
            logger.warning(
                "exposure flush failed; will retry", metadata: ["error": "\(error)", "rows": "\(rest.count)"])
            return false
        }
    }

    // MARK: - Writing with isolation of refused rows

    /// Writes `rows`; when PostgreSQL refuses the data, bisects until each refused row is alone
    /// and dead-letters it. O(k·log n) statements for k refused rows among n.
    private func writeIsolating(_ rows: ArraySlice<Queued>) async -> WriteOutcome {
        guard !rows.isEmpty else { return .done }
        do {
            try await write(rows.map(\.record))
            return .done
        } catch {
            guard Self.isDataError(error) else { return .unavailable(Array(rows), error) }
            if rows.count == 1 {
                deadLetter(rows[rows.startIndex], error)
                return .done
            }
            let middle = rows.startIndex + rows.count / 2
            if case .unavailable(let rest, let error) = await writeIsolating(rows[..<middle]) {
                return .unavailable(rest + rows[middle...], error)
            }
            return await writeIsolating(rows[middle...])
        }
    }

    /// A refusal of the rows themselves (not of the connection or the server's state): SQLSTATE
    /// class 22 (data exception: bad text, `\u0000` in jsonb, out-of-range time), 23 (integrity
    /// constraint) or 54 (program limit, e.g. an index row too large). Anything else (a missing
    /// table, permissions, an unknown error) is retried like an outage rather than dropping rows.
    static func isDataError(_ error: any Error) -> Bool {
        guard let error = error as? PostgresError, error.code == .queryFailed, let state = error.sqlState else {
            return false
        }
        return state.hasPrefix("22") || state.hasPrefix("23") || state.hasPrefix("54")
    }

    private func deadLetter(_ row: Queued, _ error: any Error) {
        deadLettered.withLockedValue { $0 += 1 }
        let state = (error as? PostgresError)?.sqlState ?? "unknown"
        metrics?.increment("hybridrank_exposures_dead_lettered_total", labels: ["sqlstate": state])
        // The request id is the server's own; user id and items are user data: only their sizes.
        logger.error(
            "exposure dead-lettered: PostgreSQL refused the row",
            metadata: [
                "sqlstate": "\(state)", "request_id": "\(row.record.requestID)", "widget": "\(row.record.widget)",
                "user_id_bytes": "\(row.record.userID?.utf8.count ?? 0)", "items": "\(row.record.items.count)",
            ])
    }

    private func write(_ batch: [ExposureRecord]) async throws {
        // One statement, one jsonb parameter for the whole batch: one round trip per flush.
        _ = try await postgres.execute(ExposureSQL.insertBatch, [ExposureSQL.batchParameter(batch)])
    }

    // MARK: - Shutdown and spool

    /// A few attempts to write what is left, then a spill of the rest; one log line with the counts.
    private func drainAtShutdown() async {
        let before = pending
        for attempt in 0..<3 where pending > 0 {
            if await flush() { break }
            if attempt < 2 { try? await Task.sleep(for: .milliseconds(200)) }
        }
        let left = queue.withLockedValue { $0.removeWaiting() }
        var spilled = 0
        var lost = 0
        var file = "none"
        if !left.isEmpty {
            if let spool {
                do {
                    let url = try spool.spill(left.map(\.record))
                    spilled = left.count
                    file = url.path
                    logger.warning(
                        "spilled \(spilled) exposures to \(url.path); they are written at the next start",
                        metadata: ["spilled": "\(spilled)", "file": "\(url.path)"])
                } catch {
                    lost = left.count
                    logger.error(
                        "could not spill \(lost) exposures; they are lost",
                        metadata: ["lost": "\(lost)", "error": "\(error)", "directory": "\(spool.directory.path)"])
                }
            } else {
                lost = left.count
            }
        }
        logger.notice(
            "exposure writer stopped",
            metadata: [
                "flushed_at_shutdown": "\(before - left.count)", "spilled": "\(spilled)", "lost": "\(lost)",
                "spill_file": "\(file)", "dead_lettered": "\(deadLetteredCount)",
                "dropped_queue_full": "\(dropped.withLockedValue { $0 })",
            ])
    }

    /// Writes every spill file left by an earlier process (refused rows dead-lettered as usual);
    /// a file is removed only once all of it is written. Stops at the first outage and tries
    /// again after the next good flush.
    /// - Returns: false when PostgreSQL was unavailable (files remain).
    private func replaySpool() async -> Bool {
        guard let spool else {
            spoolPending.withLockedValue { $0 = false }
            return true
        }
        for file in spool.pendingFiles() {
            let records: [ExposureRecord]
            do {
                let content = try spool.read(file)
                records = content.records
                if content.unreadable > 0 {
                    logger.error(
                        "spill file has unreadable lines; skipped",
                        metadata: ["file": "\(file.path)", "lines": "\(content.unreadable)"])
                }
            } catch {
                logger.error("cannot read spill file", metadata: ["file": "\(file.path)", "error": "\(error)"])
                continue
            }
            let deadBefore = deadLetteredCount
            var start = 0
            while start < records.count {
                let end = min(start + batchSize, records.count)
                let rows = records[start..<end].map { Queued(record: $0, queuedAt: 0) }
                if case .unavailable(_, let error) = await writeIsolating(rows[...]) {
                    logger.warning(
                        "exposure replay paused: PostgreSQL unavailable",
                        metadata: ["file": "\(file.path)", "error": "\(error)"])
                    return false
                }
                start = end
            }
            spool.remove(file)
            logger.notice(
                "replayed \(records.count) exposures from \(file.path)",
                metadata: [
                    "replayed": "\(records.count)", "file": "\(file.path)",
                    "dead_lettered": "\(deadLetteredCount - deadBefore)",
                ])
        }
        spoolPending.withLockedValue { $0 = false }
        return true
    }
}
