import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Server
@testable import Engine
@testable import Ranking
@testable import ShopData
import Storage
import Support
import Testing

/// Runs the whole service (real PostgreSQL schema of its own, a Redis database of its own) and
/// hands the test a live HTTP client.
enum ServerTestEnvironment {
    static var available: Bool { StorageTestEnvironment.hasPostgres && StorageTestEnvironment.hasRedis }

    /// The multi-process timing tests (replicas agreeing within a second, the fault test under load)
    /// measure latencies that the rest of the suite, running in parallel on two cores, would
    /// distort: `scripts/test.sh` runs them in a step of their own with this variable set.
    static var isolatedTimingRun: Bool {
        available && ProcessInfo.processInfo.environment["HYBRIDRANK_ISOLATED_TIMING_TESTS"] == "1"
    }

    /// Redis databases are handed out round-robin (all but 0, which the storage tests use) so
    /// servers running in parallel neither share popularity lists nor flush each other's: each is
    /// flushed before use, so a database handed out again while its first holder still ran would
    /// lose that server's keys. `scripts/services.sh` starts Redis with 256 databases, far more
    /// than the servers a full run has alive at once; a Redis of its own (16 by default) gets 1…15.
    nonisolated(unsafe) private static var nextDatabase = 0
    nonisolated(unsafe) private static var databases: Int?
    private static let lock = NSLock()

    static func redisDatabase() async throws -> Int {
        if lock.withLock({ databases }) == nil {
            let redis = try RedisClient(url: try #require(StorageTestEnvironment.redisURL))
            let reply = try await redis.command(["CONFIG", "GET", "databases"])
            await redis.close()
            let count = reply.array?.last?.string.flatMap { Int($0) } ?? 16
            lock.withLock { databases = max(2, count) }
        }
        return lock.withLock {
            nextDatabase = nextDatabase % (databases! - 1) + 1
            return nextDatabase
        }
    }

    static func withServer(
        loadModels: Bool = false,
        configure: (inout ServiceConfiguration) -> Void = { _ in },
        seed: (PostgresClient) async throws -> Void = { _ in },
        _ body: @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        try await withServerAndDatabase(loadModels: loadModels, configure: configure, seed: seed) { client, _ in
            try await body(client)
        }
    }

    /// `withServer`, with the server's own PostgreSQL schema handed to the test too (to check
    /// what was stored).
    static func withServerAndDatabase(
        loadModels: Bool = false,
        configure: (inout ServiceConfiguration) -> Void = { _ in },
        seed: (PostgresClient) async throws -> Void = { _ in },
        _ body: @Sendable (any TestClientProtocol, PostgresClient) async throws -> Void
    ) async throws {
        let database = try await redisDatabase()
        let redisURL = try #require(StorageTestEnvironment.redisURL) + "/\(database)"
        let redis = try RedisClient(url: redisURL)
        _ = try await redis.command(["FLUSHDB"])
        try await StorageTestEnvironment.withSchema("srv") { client, schema in
            let schemaClient = client
            try await Migrator(
                client: client, directory: StorageTestEnvironment.repositoryRoot.appendingPathComponent("migrations").path
            ).migrate()
            try await seed(client)
            var configuration = ServiceConfiguration()
            configuration.databaseURL = try #require(StorageTestEnvironment.postgresURL)
            configuration.databaseSchema = schema
            configuration.redisURL = redisURL
            configuration.port = 0
            configuration.loadModels = loadModels
            let root = StorageTestEnvironment.repositoryRoot.path
            configuration.crossEncoderDirectory = root + "/models/retail-reranker"
            configuration.biEncoderDirectory = root + "/.models/all-MiniLM-L6-v2"
            configuration.exposureFlushInterval = 0.05
            // A spool of its own: a shared one would replay one test's exposures into another's schema.
            configuration.spoolDirectory = FileManager.default.temporaryDirectory
                .appendingPathComponent(StorageTestEnvironment.uniqueName("hybridrank-spool")).path
            // Rate limits off unless a test turns them on: suites send bursts from one address.
            configuration.access.rateLimits.enabled = false
            configure(&configuration)
            var logger = Logger(label: "test")
            logger.logLevel = .warning
            let app = try await HybridRankApplication.makeApplication(configuration: configuration, logger: logger)
            try await app.test(.live) { http in try await body(http, schemaClient) }
        }
        await redis.close()
    }
}

extension TestClientProtocol {
    /// GET/POST/PUT… returning status and decoded JSON object.
    func json(
        _ uri: String, method: HTTPRequest.Method = .get, body: String? = nil, headers extra: HTTPFields = [:]
    ) async throws -> (status: Int, json: [String: Any]) {
        var headers: HTTPFields = body == nil ? [:] : [.contentType: "application/json"]
        headers.append(contentsOf: extra)
        let response = try await executeRequest(
            uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
        let data = Data(response.body.readableBytesView)
        let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
        return (Int(response.status.code), object)
    }
}

/// Reads `items[].product_id` from a recommendations response.
func productIDs(_ json: [String: Any]) -> [String] {
    ((json["items"] as? [[String: Any]]) ?? []).compactMap { $0["product_id"] as? String }
}

/// Reads the error field name from an error response.
func errorField(_ json: [String: Any]) -> String? {
    (json["error"] as? [String: Any])?["field"] as? String
}
