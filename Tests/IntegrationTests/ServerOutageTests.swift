import Experiments
import Foundation
import Hummingbird
import HummingbirdTesting
import Server
@testable import Engine
@testable import Ranking
@testable import ShopData
import Support
import Testing

/// Dependency outages degrade the answer and never crash the process (README "Degraded modes").
@Suite(.enabled(if: ServerTestEnvironment.available, "needs POSTGRES_URL and REDIS_URL (scripts/test.sh starts them)"))
struct ServerOutageTests {
    /// A loopback port nothing listens on.
    static let closedPort = "127.0.0.1:9"

    @Test func redisOutageDegradesButServesAndStoresEvents() async throws {
        try await ServerTestEnvironment.withServer(configure: { $0.redisURL = "redis://\(Self.closedPort)" }) { client in
            var (status, json) = try await client.json("/v1/products:batch", method: .post, body: ServerRouteTests.catalogBatch)
            #expect(status == 200)
            (status, json) = try await client.json(
                "/v1/events", method: .post, body: ServerRouteTests.event("bob", "garden-1", "purchase", basket: "b"))
            #expect(status == 202, "PostgreSQL still takes events while Redis is down")
            (status, json) = try await client.json("/v1/recommendations/homepage?user_id=bob&limit=5")
            #expect(status == 200)
            #expect((json["degraded"] as? [String])?.contains("redis_unavailable") == true)
            #expect(productIDs(json).count == 5)
            #expect(!productIDs(json).contains("garden-1"), "history came from PostgreSQL")
            (status, json) = try await client.json("/health")
            #expect(status == 200)
            #expect(json["status"] as? String == "degraded")
            #expect((json["redis"] as? [String: Any])?["status"] as? String == "down")
        }
    }

    @Test func postgresOutageAnswers503ForWritesAndKeepsServing() async throws {
        try await ServerTestEnvironment.withServer(configure: { $0.databaseURL = "postgresql://postgres@\(Self.closedPort)/none" }) { client in
            var (status, json) = try await client.json(
                "/v1/events", method: .post, body: ServerRouteTests.event("carol", "x", "view"))
            #expect(status == 503)
            #expect((json["error"] as? [String: Any])?["code"] as? String == "dependency_unavailable")
            (status, _) = try await client.json("/v1/products/x", method: .put, body: #"{"name":"X"}"#)
            #expect(status == 503)
            (status, _) = try await client.json("/v1/recommendations/homepage?user_id=carol&limit=5")
            #expect(status == 200, "reads keep answering from memory and Redis")
            (status, json) = try await client.json("/health")
            #expect((json["postgres"] as? [String: Any])?["status"] as? String == "down")
        }
    }

    /// #21 "Why" 9 through the whole service: a graceful shutdown (what SIGTERM starts) with
    /// PostgreSQL unreachable spills every queued exposure to the spool instead of dropping it;
    /// `/health` showed them queued and ageing.
    @Test func shutdownWithPostgresDownSpillsEveryQueuedExposure() async throws {
        let spool = FileManager.default.temporaryDirectory.appendingPathComponent(
            StorageTestEnvironment.uniqueName("hybridrank-outage-spool"))
        defer { try? FileManager.default.removeItem(at: spool) }
        try await ServerTestEnvironment.withServer(configure: {
            $0.databaseURL = "postgresql://postgres@\(Self.closedPort)/none"
            $0.spoolDirectory = spool.path
            $0.exposureQueueAgeWarning = 0.01
        }) { client in
            for index in 0..<30 {
                let (status, _) = try await client.json("/v1/recommendations/homepage?user_id=shopper-\(index)&limit=5")
                #expect(status == 200)
            }
            try await Task.sleep(for: .milliseconds(50))
            let (_, json) = try await client.json("/health")
            let exposures = json["exposures"] as? [String: Any]
            #expect(exposures?["queue_depth"] as? Int == 30)
            #expect((exposures?["oldest_age_seconds"] as? Double ?? 0) > 0.01)
            #expect(json["status"] as? String != "ok")
        }
        let writer = ExposureSpool(directory: spool.path)
        let files = writer.pendingFiles()
        #expect(files.count == 1)
        let spilled = try files.first.map { try writer.read($0).records } ?? []
        #expect(spilled.count == 30)
        #expect(Set(spilled.compactMap(\.userID)) == Set((0..<30).map { "shopper-\($0)" }))
    }

    @Test func blockListAndPinsApply() async throws {
        try await ServerTestEnvironment.withServer { client in
            _ = try await client.json("/v1/products:batch", method: .post, body: ServerRouteTests.catalogBatch)
            var (status, json) = try await client.json("/v1/recommendations/homepage?limit=6&exclude=kitchen-1,garden-2&pin=2:toys-4")
            #expect(status == 200)
            let ids = productIDs(json)
            #expect(!ids.contains("kitchen-1") && !ids.contains("garden-2"))
            #expect(ids.count == 6)
            #expect(ids.count > 1 && ids[1] == "toys-4", "pinned at position 2: \(ids)")
            // A pin past `limit` is dropped (the list has no such position); a malformed one is a 400.
            let unpinned = productIDs(try await client.json("/v1/recommendations/homepage?limit=6").json)
            (status, json) = try await client.json("/v1/recommendations/homepage?limit=6&pin=9:toys-4")
            #expect(status == 200)
            #expect(productIDs(json) == unpinned, "the pin past limit changed nothing")
            (status, json) = try await client.json("/v1/recommendations/homepage?limit=6&pin=101:toys-4")
            #expect(status == 400)
            #expect(errorField(json) == "pin")
            (status, json) = try await client.json("/v1/recommendations/homepage?limit=6&pin=02:toys-4")
            #expect(status == 400)
            #expect(errorField(json) == "pin")
        }
    }
}
