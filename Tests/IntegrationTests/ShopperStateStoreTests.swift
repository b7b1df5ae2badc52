import Domain
import Foundation
import Logging
import Storage
import Testing

@testable import Server

/// The shopper state against the real PostgreSQL and Redis: the "no history" marker.
@Suite(.enabled(if: ServerTestEnvironment.available))
struct ShopperStateStoreTests {
    @Test func aShopperWithoutEventsIsRememberedUntilTheirFirstEvent() async throws {
        let redis = try RedisClient(url: try #require(StorageTestEnvironment.redisURL))
        defer { Task { await redis.close() } }
        try await StorageTestEnvironment.withSchema("shopper") { postgres, _ in
            try await Migrator(
                client: postgres, directory: StorageTestEnvironment.repositoryRoot.appendingPathComponent("migrations").path
            ).migrate()
            let interactions = InteractionRepository(postgres: postgres)
            let store = ShopperStateStore(redis: redis, interactions: interactions, logger: Logger(label: "test"))
            let user = StorageTestEnvironment.uniqueName("shopper")

            // First request: PostgreSQL answers "no events", and Redis remembers that for a while.
            var state = await store.state(for: user)
            #expect(state.history.isEmpty && !state.redisUnavailable && !state.postgresUnavailable)
            #expect(try await redis.command(["EXISTS", RedisKeys.noHistory(user)]).int == 1)
            let ttl = try await redis.command(["TTL", RedisKeys.noHistory(user)]).int ?? 0
            #expect(ttl > 0 && ttl <= RedisKeys.noHistoryTTLSeconds)

            // While the marker lives, PostgreSQL is not asked again: an event written to it
            // directly (not through the service) is not seen yet ...
            let event = Interaction(userID: user, productID: "P1", type: .view, occurredAt: Date())
            _ = try await interactions.insert([event], keys: [StorageTestEnvironment.uniqueName("key")])
            state = await store.state(for: user)
            #expect(state.history.isEmpty)

            // ... but an event recorded through the service removes the marker and is seen at once.
            let purchase = Interaction(userID: user, productID: "P2", type: .purchase, occurredAt: Date())
            #expect(await store.record([purchase], categoryOf: { _ in nil }))
            #expect(try await redis.command(["EXISTS", RedisKeys.noHistory(user)]).int == 0)
            state = await store.state(for: user)
            #expect(state.history.map(\.productID) == ["P2"])
            #expect(state.purchased == ["P2"])
        }
    }
}
