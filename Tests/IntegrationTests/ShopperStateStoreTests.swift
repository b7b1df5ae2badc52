import Domain
import Foundation
import Logging
import Rerank
import Storage
import Testing

@testable import Engine
@testable import Ranking
@testable import Server
@testable import ShopData
import Support

/// The shopper state against the real PostgreSQL and Redis: the "no history" marker, and reading
/// only what a widget needs.
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
            // On a machine so loaded that the marker's minute ran out meanwhile, PostgreSQL is
            // rightly asked again: the claim holds only while the marker lives. Whether this read
            // went to PostgreSQL shows in what it returned (it can only see P1 there), and that
            // decides what the history holds below: a read from PostgreSQL fills Redis with P1.
            let remaining = try await redis.command(["PTTL", RedisKeys.noHistory(user)]).int ?? -2
            state = await store.state(for: user)
            let askedPostgres = !state.history.isEmpty
            if remaining > 5_000 { #expect(!askedPostgres) }
            if askedPostgres { #expect(state.history.map(\.productID) == ["P1"]) }

            // ... but an event recorded through the service removes the marker and is seen at once.
            let purchase = Interaction(userID: user, productID: "P2", type: .purchase, occurredAt: Date())
            #expect(await store.record([purchase], categoryOf: { _ in nil }))
            #expect(try await redis.command(["EXISTS", RedisKeys.noHistory(user)]).int == 0)
            state = await store.state(for: user)
            #expect(state.history.map(\.productID) == (askedPostgres ? ["P2", "P1"] : ["P2"]))
            #expect(state.purchased == ["P2"])
        }
    }

    @Test func aWidgetReadsOnlyTheStateItsStagesUse() async throws {
        let redis = try RedisClient(url: try #require(StorageTestEnvironment.redisURL))
        defer { Task { await redis.close() } }
        try await StorageTestEnvironment.withSchema("shopper_needs") { postgres, _ in
            try await Migrator(
                client: postgres, directory: StorageTestEnvironment.repositoryRoot.appendingPathComponent("migrations").path
            ).migrate()
            let store = ShopperStateStore(
                redis: redis, interactions: InteractionRepository(postgres: postgres), logger: Logger(label: "test"))
            let builder = RerankQueryBuilder(catalog: StaticProductCatalog((0..<60).map { Product(id: "P\($0)", name: "Item \($0)") }))
            let newest = ShopperStateNeeds(
                history: .newest(first: 8, isDecided: { builder.isDecided(byNewest: $0) }), purchased: false, cart: false)
            let start = Date().addingTimeInterval(-3_600)

            // A buyer with 60 purchases, oldest first: the newest 8 name five products, enough.
            let buyer = StorageTestEnvironment.uniqueName("buyer")
            let purchases = (0..<60).map {
                Interaction(userID: buyer, productID: "P\($0)", type: .purchase, occurredAt: start.addingTimeInterval(Double($0)))
            }
            #expect(await store.record(purchases, categoryOf: { _ in nil }))
            var state = await store.state(for: buyer, needs: newest)
            #expect(state.history.map(\.productID) == (52..<60).reversed().map { "P\($0)" })
            #expect(state.purchased.isEmpty && state.cart.isEmpty && !state.redisUnavailable)
            state = await store.state(for: buyer, needs: .everything)
            #expect(state.history.count == 60 && state.purchased.count == 60)
            state = await store.state(for: buyer, needs: ShopperStateNeeds(history: .none, purchased: true, cart: false))
            #expect(state.history.isEmpty && state.purchased.count == 60 && !state.postgresUnavailable)

            // A browser with 60 views and no purchase: no prefix decides, so the whole history is read.
            let browser = StorageTestEnvironment.uniqueName("browser")
            let views = (0..<60).map {
                Interaction(userID: browser, productID: "P\($0)", type: .view, occurredAt: start.addingTimeInterval(Double($0)))
            }
            #expect(await store.record(views, categoryOf: { _ in nil }))
            state = await store.state(for: browser, needs: newest)
            #expect(state.history.count == 60)
            #expect(builder.query(for: ShopperContext(request: RecommendationRequest(widget: .product), history: state.history)).text
                == "Item 59 ; Item 58 ; Item 57 ; Item 56 ; Item 55")
        }
    }

    /// Redis answers for a shopper whose history it holds, so no event may leave the purchased
    /// set or the cart to expire before the history.
    @Test func everyEventRenewsAllOfTheShoppersKeys() async throws {
        let redis = try RedisClient(url: try #require(StorageTestEnvironment.redisURL))
        defer { Task { await redis.close() } }
        try await StorageTestEnvironment.withSchema("shopper_ttl") { postgres, _ in
            let store = ShopperStateStore(
                redis: redis, interactions: InteractionRepository(postgres: postgres), logger: Logger(label: "test"))
            let user = StorageTestEnvironment.uniqueName("ttl")
            let now = Date()
            #expect(
                await store.record(
                    [
                        Interaction(userID: user, productID: "P1", type: .purchase, occurredAt: now),
                        Interaction(userID: user, productID: "P2", type: .cartAdd, occurredAt: now),
                    ], categoryOf: { _ in nil }))
            for key in [RedisKeys.purchased(user), RedisKeys.cart(user)] {
                _ = try await redis.command(["EXPIRE", key, "100"])
            }
            #expect(await store.record([Interaction(userID: user, productID: "P3", type: .view, occurredAt: now)], categoryOf: { _ in nil }))
            for key in [RedisKeys.history(user), RedisKeys.purchased(user), RedisKeys.cart(user)] {
                let ttl = try await redis.command(["TTL", key]).int ?? 0
                #expect(ttl > RedisKeys.userTTLSeconds - 600, "\(key)")
            }
            let state = await store.state(for: user)
            #expect(state.purchased == ["P1"] && state.cart == ["P2"] && state.history.count == 3)
        }
    }
}
