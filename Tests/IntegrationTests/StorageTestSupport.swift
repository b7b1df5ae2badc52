import Foundation
import Storage
import TestSupport
import Testing

/// Shared set-up for the storage integration tests: the servers from `POSTGRES_URL` /
/// `REDIS_URL`, and isolation so tests can run in parallel (each PostgreSQL test gets its own
/// schema through `search_path`, each Redis test its own key prefix).
enum StorageTestEnvironment {
    static let postgresURL = ProcessInfo.processInfo.environment["POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    static let redisURL = ProcessInfo.processInfo.environment["REDIS_URL"].flatMap { $0.isEmpty ? nil : $0 }
    static var hasPostgres: Bool { postgresURL != nil }
    static var hasRedis: Bool { redisURL != nil }

    static let repositoryRoot = SharedFolder.repositoryRoot

    /// `<shared>/data/online-retail/<name>` when present (`SharedFolder`).
    static func sharedData(_ name: String) -> URL? {
        let url = SharedFolder.url.appendingPathComponent("data/online-retail/\(name)")
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    /// A unique name for a schema or key prefix.
    static func uniqueName(_ prefix: String) -> String {
        "\(prefix)_\(UInt32.random(in: 0...UInt32.max))_\(Int(Date().timeIntervalSince1970 * 1000) % 1_000_000)"
    }

    /// Runs `body` with a client whose `search_path` is a fresh schema, then drops the schema.
    static func withSchema<T>(
        _ prefix: String,
        poolSize: Int = 4,
        _ body: (PostgresClient, String) async throws -> T
    ) async throws -> T {
        let url = try #require(postgresURL)
        let schema = uniqueName(prefix).lowercased()
        let admin = PostgresClient(configuration: PostgresConfiguration(url: url, poolSize: 1))
        try await admin.execute("CREATE SCHEMA \(schema)")
        let client = PostgresClient(configuration: PostgresConfiguration(url: url, poolSize: poolSize, searchPath: schema))
        do {
            let value = try await body(client, schema)
            await client.close()
            try await admin.execute("DROP SCHEMA \(schema) CASCADE")
            await admin.close()
            return value
        } catch {
            await client.close()
            _ = try? await admin.execute("DROP SCHEMA \(schema) CASCADE")
            await admin.close()
            throw error
        }
    }

    /// Runs `scripts/services.sh` with extra environment; returns its exit status and output.
    @discardableResult
    static func services(_ arguments: [String], environment extra: [String: String]) async throws -> (Int32, String) {
        let result = try await ChildProcess.run(
            "/bin/bash", [repositoryRoot.appendingPathComponent("scripts/services.sh").path] + arguments,
            environment: ProcessInfo.processInfo.environment.merging(extra) { $1 }, currentDirectory: repositoryRoot)
        return (result.status, result.output)
    }
}
