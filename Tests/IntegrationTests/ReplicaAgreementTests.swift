import Foundation
import Storage
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Two replicas — two real `hybridrank serve` processes — on one PostgreSQL schema and one Redis
/// database: a catalog write on either is served by the other within a second (published on the
/// event stream, and read from PostgreSQL at the latest every `catalogSyncInterval`), and a
/// replica killed and started again catches up with what was written while it was down.
@Suite(.serialized, .enabled(if: ServerTestEnvironment.isolatedTimingRun))
struct ReplicaAgreementTests {
    /// One `serve` process and its port.
    final class Replica: @unchecked Sendable {
        let process = Process()
        let port: Int
        let base: String

        init(binary: String, environment: [String: String]) throws {
            port = Int.random(in: 20_000...31_000)
            base = "http://127.0.0.1:\(port)"
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = ["serve", "--port", "\(port)", "--log-level", "warning"]
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
        }

        func kill() {
            guard process.isRunning else { return }
            Foundation.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }

        /// Waits until `/health` answers (the state is loaded before the port opens).
        func waitUntilServing() async throws {
            for _ in 0..<600 {
                if (try? await request("GET", "/health"))?.status == 200 { return }
                try await Task.sleep(for: .milliseconds(100))
            }
            Issue.record("replica on \(port) did not start")
        }

        func request(_ method: String, _ path: String, body: String? = nil) async throws -> (status: Int, json: [String: Any]) {
            var request = URLRequest(url: URL(string: base + path)!)
            request.httpMethod = method
            request.timeoutInterval = 5
            if let body {
                request.httpBody = Data(body.utf8)
                request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            }
            let (data, response) = try await URLSession.shared.data(for: request)
            let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
            return ((response as? HTTPURLResponse)?.statusCode ?? 0, json)
        }
    }

    /// Seconds until `condition` holds on `replica` (polled every 50 ms, at most `limit`).
    static func secondsUntil(
        _ replica: Replica, limit: Double = 10, _ condition: @escaping (Replica) async throws -> Bool
    ) async throws -> Double? {
        let start = Date()
        while Date().timeIntervalSince(start) < limit {
            if (try? await condition(replica)) == true { return Date().timeIntervalSince(start) }
            try await Task.sleep(for: .milliseconds(50))
        }
        return nil
    }

    /// Once with the default 0.5 s read, once with the read every 60 s, where only the change
    /// published on the event stream can bring the write over within a second.
    @Test(arguments: ["0.5", "60"])
    func catalogWritesOnOneReplicaAreServedByTheOtherWithinASecond(syncSeconds: String) async throws {
        let binary = try #require(ChildProcess.hybridrankBinary, "hybridrank is built next to the test bundle")
        try await StorageTestEnvironment.withSchema("replicas") { client, schema in
            try await Migrator(
                client: client, directory: StorageTestEnvironment.repositoryRoot.appendingPathComponent("migrations").path
            ).migrate()
            let spool = FileManager.default.temporaryDirectory.appendingPathComponent(StorageTestEnvironment.uniqueName("spool"))
            let environment = [
                "DATABASE_URL": try #require(StorageTestEnvironment.postgresURL),
                "HYBRIDRANK_DATABASE_SCHEMA": schema,
                "REDIS_URL": try #require(StorageTestEnvironment.redisURL) + "/\(try await ServerTestEnvironment.redisDatabase())",
                "HYBRIDRANK_CROSS_ENCODER": "/nonexistent", "HYBRIDRANK_BI_ENCODER": "/nonexistent",
                "HYBRIDRANK_RATE_LIMITS": "off", "HYBRIDRANK_SPOOL_DIR": spool.path,
                "HYBRIDRANK_CATALOG_SYNC_SECONDS": syncSeconds,
            ]
            let a = try Replica(binary: binary, environment: environment)
            var b = try Replica(binary: binary, environment: environment)
            defer {
                a.kill()
                b.kill()
                try? FileManager.default.removeItem(at: spool)
            }
            try await a.waitUntilServing()
            try await b.waitUntilServing()

            // Created on A: served by B.
            var (status, _) = try await a.request("PUT", "/v1/products/lamp-1", body: #"{"name": "Opal lamp", "category": "Lighting", "price": 40}"#)
            #expect(status == 200)
            let created = try await Self.secondsUntil(b) { try await $0.request("GET", "/v1/products/lamp-1").status == 200 }
            #expect(created.map { $0 <= 1.0 } == true, "created: \(String(describing: created)) s")

            // Out of stock on A: out of stock on B (the product read answers it; trending leaves it out).
            (status, _) = try await a.request("PATCH", "/v1/products/lamp-1", body: #"{"in_stock": false}"#)
            #expect(status == 200)
            let soldOut = try await Self.secondsUntil(b) { try await $0.request("GET", "/v1/products/lamp-1").json["in_stock"] as? Bool == false }
            #expect(soldOut.map { $0 <= 1.0 } == true, "out of stock: \(String(describing: soldOut)) s")

            // Deleted on B: gone on A.
            (status, _) = try await b.request("DELETE", "/v1/products/lamp-1")
            #expect(status == 204)
            let deleted = try await Self.secondsUntil(a) { try await $0.request("GET", "/v1/products/lamp-1").status == 404 }
            #expect(deleted.map { $0 <= 1.0 } == true, "deleted: \(String(describing: deleted)) s")

            // B killed; writes on A meanwhile; B started again serves them.
            b.kill()
            for index in 0..<20 {
                (status, _) = try await a.request("PUT", "/v1/products/mug-\(index)", body: #"{"name": "Mug \#(index)", "category": "Kitchen", "price": 9}"#)
                #expect(status == 200)
            }
            b = try Replica(binary: binary, environment: environment)
            try await b.waitUntilServing()
            (status, _) = try await b.request("GET", "/v1/products/mug-19")
            #expect(status == 200)
            let health = try await b.request("GET", "/health").json
            #expect(health["catalog_products"] as? Int == 20)
        }
    }
}
