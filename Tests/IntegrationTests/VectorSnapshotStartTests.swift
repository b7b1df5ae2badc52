import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Server
import Storage
@testable import Engine
import Testing

/// A replica that saved its content index starts from it: the snapshot is written when the
/// service stops, and a later start on a catalog that changed meanwhile (another replica kept
/// writing) loads it and catches up from its watermark instead of rebuilding.
@Suite(.enabled(if: ServerTestEnvironment.available && serverModelsPresent, "needs POSTGRES_URL, REDIS_URL and the models (scripts/fetch-models.sh)"))
struct VectorSnapshotStartTests {
    @Test func aRestartLoadsTheSavedIndexAndCatchesUpFromItsWatermark() async throws {
        let snapshot = FileManager.default.temporaryDirectory.appendingPathComponent(StorageTestEnvironment.uniqueName("vectors")).path
        defer { try? FileManager.default.removeItem(atPath: snapshot) }
        let redisURL = try #require(StorageTestEnvironment.redisURL) + "/\(try await ServerTestEnvironment.redisDatabase())"
        let redis = try RedisClient(url: redisURL)
        _ = try await redis.command(["FLUSHDB"])
        await redis.close()
        try await StorageTestEnvironment.withSchema("snap") { client, schema in
            try await Migrator(
                client: client, directory: StorageTestEnvironment.repositoryRoot.appendingPathComponent("migrations").path
            ).migrate()
            func configuration(snapshot path: String?) throws -> ServiceConfiguration {
                var configuration = ServiceConfiguration()
                configuration.databaseURL = try #require(StorageTestEnvironment.postgresURL)
                configuration.databaseSchema = schema
                configuration.redisURL = redisURL
                configuration.port = 0
                configuration.loadModels = true
                let root = StorageTestEnvironment.repositoryRoot.path
                configuration.crossEncoderDirectory = root + "/models/retail-reranker"
                configuration.biEncoderDirectory = root + "/.models/all-MiniLM-L6-v2"
                configuration.spoolDirectory = FileManager.default.temporaryDirectory
                    .appendingPathComponent(StorageTestEnvironment.uniqueName("hybridrank-spool")).path
                configuration.access.rateLimits.enabled = false
                configuration.vectorIndex = .hnswDefault
                configuration.vectorSnapshotPath = path
                return configuration
            }
            var logger = Logger(label: "test")
            logger.logLevel = .warning
            // 1. Writes the catalog and stops: the index is saved.
            let first = try await HybridRankApplication.makeApplication(configuration: try configuration(snapshot: snapshot), logger: logger)
            try await first.test(.live) { http in
                _ = try await http.json("/v1/products:batch", method: .post, body: ServerRouteTests.catalogBatch)
                let (status, _) = try await http.json(
                    "/v1/products/lantern-1", method: .put, body: #"{"name":"Solar powered garden lantern","category":"Lighting","price":19.5}"#)
                #expect(status == 200)
            }
            #expect(FileManager.default.fileExists(atPath: snapshot))
            // 2. Another replica (no snapshot of its own) writes while the first is down.
            let second = try await HybridRankApplication.makeApplication(configuration: try configuration(snapshot: nil), logger: logger)
            try await second.test(.live) { http in
                var (status, _) = try await http.json(
                    "/v1/products/kettle-9", method: .put, body: #"{"name":"Copper whistling stove kettle","category":"Kitchen","price":35}"#)
                #expect(status == 200)
                (status, _) = try await http.json("/v1/products/lantern-1", method: .delete)
                #expect(status == 200 || status == 204)
            }
            // 3. The first starts again from its now stale snapshot and catches up.
            let third = try await HybridRankApplication.makeApplication(configuration: try configuration(snapshot: snapshot), logger: logger)
            try await third.test(.live) { http in
                var kettle: [String] = [], lantern: [String] = []
                for _ in 0..<50 {
                    kettle = productIDs(try await http.json("/v1/search?q=copper+stove+kettle&limit=3").json)
                    lantern = productIDs(try await http.json("/v1/search?q=solar+garden+lantern&limit=3").json)
                    if kettle.first == "kettle-9", !lantern.contains("lantern-1") { break }
                    try await Task.sleep(for: .milliseconds(100))
                }
                #expect(kettle.first == "kettle-9", "\(kettle)")
                #expect(!lantern.contains("lantern-1"), "\(lantern)")
            }
        }
    }
}
