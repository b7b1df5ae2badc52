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
/// `flushInterval` seconds or `batchSize` rows. A failed flush keeps the rows and retries with
/// backoff, so nothing is lost while the process lives; graceful shutdown flushes what is left.
public final class ExposureWriter: Service, Sendable {
    private let postgres: PostgresClient
    private let batchSize: Int
    private let flushInterval: Double
    private let logger: Logger
    private let queue = NIOLockedValueBox([ExposureRecord]())
    /// The most rows held in memory while PostgreSQL is down (then the oldest are dropped and counted).
    private let capacity = 1_000_000
    private let dropped = NIOLockedValueBox(0)

    public init(postgres: PostgresClient, batchSize: Int, flushInterval: Double, logger: Logger) {
        self.postgres = postgres
        self.batchSize = batchSize
        self.flushInterval = flushInterval
        self.logger = logger
    }

    public func record(_ exposure: ExposureRecord) {
        let overflow = queue.withLockedValue { queue -> Bool in
            queue.append(exposure)
            if queue.count > capacity {
                queue.removeFirst(queue.count - capacity)
                return true
            }
            return false
        }
        if overflow { dropped.withLockedValue { $0 += 1 } }
    }

    public var pending: Int { queue.withLockedValue { $0.count } }

    public func run() async throws {
        var backoff = flushInterval
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let delay = backoff
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .milliseconds(Int(delay * 1000))) }
            backoff = await flush() ? flushInterval : min(backoff * 2, 10)
        }
        // Graceful shutdown: a few attempts to write what is left.
        for _ in 0..<3 where pending > 0 {
            if await flush() { break }
            try? await Task.sleep(for: .milliseconds(200))
        }
    }

    /// Writes everything queued; returns false when PostgreSQL refused (rows stay queued).
    @discardableResult
    public func flush() async -> Bool {
        while true {
            let batch = queue.withLockedValue { queue -> [ExposureRecord] in
                let count = min(queue.count, batchSize)
                let batch = Array(queue.prefix(count))
                queue.removeFirst(count)
                return batch
            }
            if batch.isEmpty { return true }
            do {
                try await write(batch)
            } catch {
                queue.withLockedValue { $0.insert(contentsOf: batch, at: 0) }
                logger.warning("exposure flush failed; will retry", metadata: ["error": "\(error)", "rows": "\(batch.count)"])
                return false
            }
        }
    }

    private func write(_ batch: [ExposureRecord]) async throws {
        // One statement, one jsonb parameter for the whole batch: one round trip per flush.
        _ = try await postgres.execute(ExposureSQL.insertBatch, [ExposureSQL.batchParameter(batch)])
    }
}
