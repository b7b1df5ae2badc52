import Foundation
import Storage
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The durability promise under load, with real outages (#21): a `hybridrank serve` process on a
/// PostgreSQL and a Redis of the test's own (a private pair, so stopping them disturbs no other
/// test) takes events and widget requests at a fixed rate while Redis stops and comes back and
/// PostgreSQL restarts. Every event answered 2xx is stored exactly once, no event answered 503 is
/// stored, and every widget response's exposure is written once PostgreSQL is back — also across
/// a SIGTERM while PostgreSQL is down (spilled, replayed by the next start).
@Suite(.serialized, .enabled(if: ServerTestEnvironment.isolatedTimingRun))
struct FaultUnderLoadTests {
    static func services(_ arguments: [String], _ local: URL, extra: [String: String] = [:]) async throws -> String {
        let (status, output) = try await StorageTestEnvironment.services(
            arguments, environment: ["HYBRIDRANK_LOCAL_DIR": local.path].merging(extra) { _, new in new })
        try #require(status == 0, "services.sh \(arguments) failed: \(output)")
        return output
    }

    static func exported(_ name: String, in output: String) throws -> String {
        try #require(
            output.split(separator: "\n").first { $0.hasPrefix("export \(name)=") }.map { String($0.dropFirst("export \(name)=".count)) })
    }

    /// Outcomes of the load, filled by the senders.
    final class Ledger: @unchecked Sendable {
        private let lock = NSLock()
        private(set) var acknowledged: Set<String> = []
        private(set) var refused: Set<String> = []
        private(set) var unanswered: Set<String> = []
        private(set) var requestIDs: Set<String> = []
        func event(_ key: String, status: Int?) {
            lock.lock()
            defer { lock.unlock() }
            switch status {
            case .some(200..<300): acknowledged.insert(key)
            case .some: refused.insert(key)
            case .none: unanswered.insert(key)
            }
        }
        func served(_ requestID: String) {
            lock.lock()
            defer { lock.unlock() }
            requestIDs.insert(requestID)
        }
    }

    @Test(.timeLimit(.minutes(5)))
    func everyAcknowledgedEventAndEveryExposureSurvivesRedisAndPostgresOutagesAndASigterm() async throws {
        let binary = try #require(ChildProcess.hybridrankBinary, "hybridrank is built next to the test bundle")
        let local = FileManager.default.temporaryDirectory.appendingPathComponent(StorageTestEnvironment.uniqueName("hybridrank-faults"))
        try FileManager.default.createDirectory(at: local, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        try await ChildProcess.ensuring {
            try await outagesAndASigterm(binary: binary, local: local)
        } cleanup: {
            _ = try? await Self.services(["stop"], local)
            try? FileManager.default.removeItem(at: local)
        }
    }

    private func outagesAndASigterm(binary: String, local: URL) async throws {
        let started = try await Self.services(["start"], local)
        let postgresURL = try Self.exported("POSTGRES_URL", in: started)
        let redisURL = try Self.exported("REDIS_URL", in: started)
        let environment = [
            "DATABASE_URL": postgresURL, "REDIS_URL": redisURL,
            "HYBRIDRANK_CROSS_ENCODER": "/nonexistent", "HYBRIDRANK_BI_ENCODER": "/nonexistent",
            "HYBRIDRANK_RATE_LIMITS": "off", "HYBRIDRANK_SPOOL_DIR": local.appendingPathComponent("spool").path,
        ]
        #expect(try await AccessControlTests.run(binary, ["migrate", "--database-url", postgresURL]).status == 0)
        var server = try ReplicaAgreementTests.Replica(binary: binary, environment: environment)
        defer { server.kill() }
        try await server.waitUntilServing()

        // Load: 40 events/s and 10 homepages/s for 9 s; Redis down from 2 s to 4 s; PostgreSQL
        // restarted at 5 s.
        let ledger = Ledger()
        let replica = server
        let load = Task {
            let start = Date()
            var index = 0
            while Date().timeIntervalSince(start) < 9 {
                let key = "ev-\(index)"
                let body = #"{"user_id":"u\#(index % 25)","product_id":"p\#(index % 7)","event":"view","event_id":"\#(key)"}"#
                let status = try? await replica.request("POST", "/v1/events", body: body).status
                ledger.event(key, status: status)
                if index % 4 == 0, let (status, json) = try? await replica.request("GET", "/v1/recommendations/homepage?user_id=u\(index % 25)&limit=5"),
                    status == 200, let requestID = json["request_id"] as? String
                {
                    ledger.served(requestID)
                }
                index += 1
                try? await Task.sleep(for: .milliseconds(25))
            }
        }
        try await Task.sleep(for: .seconds(2))
        _ = try await Self.services(["stop-redis"], local)
        try await Task.sleep(for: .seconds(2))
        // On the same port: the server keeps its REDIS_URL and must find Redis back there.
        _ = try await Self.services(["start-redis"], local, extra: ["REDIS_PORT": String(redisURL.split(separator: ":").last ?? "")])
        try await Task.sleep(for: .seconds(1))
        _ = try await Self.services(["restart-postgres"], local)
        await load.value

        let postgres = PostgresClient(configuration: PostgresConfiguration(url: postgresURL, poolSize: 1))
        defer { Task { await postgres.close() } }
        // Exposures are written in the background: wait for the queue to drain.
        for _ in 0..<100 {
            let depth = (try? await server.request("GET", "/health").json["exposures"] as? [String: Any])?["queue_depth"] as? Int
            if depth == 0 { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        let stored = try await postgres.query("SELECT event_key, count(*) AS n FROM interactions GROUP BY event_key")
        var storedKeys: [String: Int] = [:]
        // The API stores a client's event id as `client:<id>`.
        for row in stored { storedKeys[String(try row.string("event_key").dropFirst("client:".count))] = try row.int("n") }
        #expect(ledger.acknowledged.count > 100, "the load ran: \(ledger.acknowledged.count) acknowledged")
        #expect(!ledger.refused.isEmpty, "the PostgreSQL restart was felt: 503s while it was down")
        #expect(ledger.acknowledged.allSatisfy { storedKeys[$0] == 1 }, "every acknowledged event stored exactly once")
        #expect(ledger.refused.allSatisfy { storedKeys[$0] == nil }, "a refused event is not stored")
        #expect(Set(storedKeys.keys).isSubset(of: ledger.acknowledged.union(ledger.unanswered)))
        let exposures = Set(try await postgres.query("SELECT request_id FROM exposures").map { try $0.string("request_id") })
        #expect(ledger.requestIDs.count > 20)
        #expect(ledger.requestIDs.isSubset(of: exposures), "missing exposures: \(ledger.requestIDs.subtracting(exposures).count)")

        // SIGTERM while PostgreSQL is down: the queued exposures are spilled, then replayed.
        _ = try await Self.services(["stop-postgres"], local)
        var queued: Set<String> = []
        for index in 0..<20 {
            let (status, json) = try await server.request("GET", "/v1/recommendations/homepage?user_id=late-\(index)&limit=5")
            if status == 200, let requestID = json["request_id"] as? String { queued.insert(requestID) }
        }
        #expect(queued.count == 20)
        server.process.terminate()
        await ChildProcess.waitForExit(server.process)
        _ = try await Self.services(["start-postgres"], local)
        server = try ReplicaAgreementTests.Replica(binary: binary, environment: environment)
        try await server.waitUntilServing()
        var replayed: Set<String> = []
        for _ in 0..<100 {
            replayed = Set(try await postgres.query("SELECT request_id FROM exposures").map { try $0.string("request_id") })
            if queued.isSubset(of: replayed) { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(queued.isSubset(of: replayed), "exposures queued at the SIGTERM: \(queued.subtracting(replayed).count) missing")
    }
}
