import Experiments
import Foundation
import Logging
import ServiceLifecycle
import Storage
import Testing

@testable import Engine
@testable import Ranking
@testable import Server
@testable import ShopData
import Support

/// The exposure writer against the real PostgreSQL: a row the database refuses is set aside and
/// never stalls the queue (#21 "Why" 3), and a shutdown while PostgreSQL is down spills the queue
/// to disk and the next start writes it (#21 "Why" 9).
@Suite(.enabled(if: StorageTestEnvironment.hasPostgres, "needs POSTGRES_URL (scripts/test.sh starts it)"))
struct ExposureWriterTests {
    static func record(_ index: Int, user: String? = nil) -> ExposureRecord {
        ExposureRecord(
            requestID: "req-\(index)-\(UUID().uuidString)", userID: user ?? "user-\(index)", widget: "homepage",
            experimentKey: nil, variantKey: nil, items: ["p1", "p2"], latencyMilliseconds: 3,
            createdAt: Date(timeIntervalSince1970: 1_750_000_000))
    }

    static func withMigratedSchema(_ body: (PostgresClient) async throws -> Void) async throws {
        try await StorageTestEnvironment.withSchema("exposures") { client, _ in
            try await Migrator(
                client: client, directory: StorageTestEnvironment.repositoryRoot.appendingPathComponent("migrations").path
            ).migrate()
            try await body(client)
        }
    }

    static func exposureCount(_ postgres: PostgresClient) async throws -> Int {
        try await postgres.query("SELECT count(*)::int AS n FROM exposures")[0].int("n")
    }

    static var quietLogger: Logger {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return logger
    }

    @Test func aRowPostgresRefusesIsDeadLetteredAndTheRestAreWritten() async throws {
        try await Self.withMigratedSchema { (postgres: PostgresClient) async throws in
            let metrics = ServiceMetrics()
            let writer = ExposureWriter(
                postgres: postgres, batchSize: 64, flushInterval: 0.05, metrics: metrics, logger: Self.quietLogger)
            // A NUL in jsonb text is refused (SQLSTATE 22P05): the exposure that used to stall the writer.
            for index in 0..<100 {
                writer.record(Self.record(index, user: index == 37 || index == 70 ? "a\u{0}b" : nil))
            }
            #expect(await writer.flush(), "a refused row is not an outage")
            #expect(writer.pending == 0)
            #expect(try await Self.exposureCount(postgres) == 98)
            #expect(writer.deadLetteredCount == 2)
            #expect(metrics.counterValue("hybridrank_exposures_dead_lettered_total", labels: ["sqlstate": "22P05"]) == 2)
            // Later exposures keep flowing.
            writer.record(Self.record(500))
            #expect(await writer.flush())
            #expect(try await Self.exposureCount(postgres) == 99)
        }
    }

    @Test func anOutageKeepsRowsQueuedWithTheirAge() async throws {
        let postgres = PostgresClient(
            configuration: PostgresConfiguration(url: "postgresql://postgres@127.0.0.1:9/none", poolSize: 1, connectTimeoutSeconds: 1))
        let writer = ExposureWriter(postgres: postgres, batchSize: 10, flushInterval: 0.05, logger: Self.quietLogger)
        for index in 0..<25 { writer.record(Self.record(index)) }
        try await Task.sleep(for: .milliseconds(20))
        #expect(await writer.flush() == false)
        #expect(writer.pending == 25, "nothing is dropped or dead-lettered while PostgreSQL is unreachable")
        #expect(writer.deadLetteredCount == 0)
        #expect(writer.oldestPendingAge > 0.01)
        await postgres.close()
    }

    /// Bounded by its own polling (no time limit: a loaded machine running the whole suite in
    /// parallel can stall every test for minutes).
    @Test func shutdownWithPostgresDownSpillsAndTheNextStartReplays() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            StorageTestEnvironment.uniqueName("hybridrank-spool-test"))
        defer { try? FileManager.default.removeItem(at: directory) }
        let spool = ExposureSpool(directory: directory.path)

        // PostgreSQL down: 3,000 queued exposures, then SIGTERM (a graceful shutdown).
        let down = PostgresClient(
            configuration: PostgresConfiguration(url: "postgresql://postgres@127.0.0.1:9/none", poolSize: 1, connectTimeoutSeconds: 1))
        let writer = ExposureWriter(
            postgres: down, batchSize: 500, flushInterval: 0.05, spool: spool, logger: Self.quietLogger)
        let records = (0..<3000).map { Self.record($0) }
        for record in records { writer.record(record) }
        let group = ServiceGroup(services: [writer], logger: Self.quietLogger)
        async let running: Void = group.run()
        try await Task.sleep(for: .milliseconds(200))
        await group.triggerGracefulShutdown()
        try await running
        await down.close()
        let files = spool.pendingFiles()
        #expect(files.count == 1)
        let spilled = try spool.read(try #require(files.first))
        #expect(spilled.records.count == 3000)
        #expect(spilled.unreadable == 0)
        #expect(Set(spilled.records.map(\.requestID)) == Set(records.map(\.requestID)))

        // The next start, with PostgreSQL back, writes them all and removes the file.
        try await Self.withMigratedSchema { postgres in
            let next = ExposureWriter(
                postgres: postgres, batchSize: 500, flushInterval: 0.05, spool: spool, logger: Self.quietLogger)
            let group = ServiceGroup(services: [next], logger: Self.quietLogger)
            async let running: Void = group.run()
            var written = 0
            for _ in 0..<100 where written < 3000 {
                try await Task.sleep(for: .milliseconds(50))
                written = try await Self.exposureCount(postgres)
            }
            await group.triggerGracefulShutdown()
            try await running
            #expect(written == 3000)
            #expect(spool.pendingFiles().isEmpty)
            let stored = try await postgres.query("SELECT created_at FROM exposures LIMIT 1")
            #expect(try stored[0].date("created_at") == Date(timeIntervalSince1970: 1_750_000_000))
        }
    }
}
