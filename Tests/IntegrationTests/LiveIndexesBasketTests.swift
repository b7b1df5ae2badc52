import Candidates
import Domain
import Foundation
import Logging
import Storage
import Testing

@testable import Engine

/// Purchases sent without an order id are grouped into baskets by one rule (`Interaction.basketKey`)
/// whether a replica applied them live or rebuilt its indexes from the log at start, so a restart
/// does not change what "bought together" answers and replicas started at different times agree.
@Suite(.enabled(if: StorageTestEnvironment.hasRedis, "REDIS_URL is not set"))
struct LiveIndexesBasketTests {
    @Test func purchasesWithoutAnOrderIDGroupAliveAsAfterARestart() async throws {
        let redis = try RedisClient(url: try #require(StorageTestEnvironment.redisURL))
        let products = ["mug", "plate", "bowl", "lamp", "vase"].map { Product(id: $0, name: $0, category: "home") }
        func replica() -> LiveIndexes {
            LiveIndexes(catalog: LiveCatalog(products), redis: redis, metrics: ServiceMetrics(), logger: Logger(label: "test"))
        }
        let start = Date(timeIntervalSince1970: 1_700_000_000)
        func purchase(_ user: String, _ product: String, minutes: Double, basket: String? = nil) -> Interaction {
            Interaction(userID: user, productID: product, type: .purchase, basketID: basket, occurredAt: start.addingTimeInterval(minutes * 60))
        }
        let events = [
            purchase("u1", "mug", minutes: 0), purchase("u1", "plate", minutes: 20),  // one hour, no order id
            purchase("u2", "mug", minutes: 5), purchase("u2", "bowl", minutes: 30),
            purchase("u2", "lamp", minutes: 24 * 60),  // the next day: another basket
            purchase("u3", "vase", minutes: 10, basket: "o-9"), purchase("u3", "lamp", minutes: 11, basket: "o-9"),
        ]
        let live = replica()
        live.rebuild(from: [])
        live.apply(events)
        let restarted = replica()
        restarted.rebuild(from: events)

        #expect(Set(restarted.basketCoPurchase.neighbours(of: "mug").map(\.productID)) == ["plate", "bowl"])
        #expect(restarted.basketCoPurchase.neighbours(of: "lamp").map(\.productID) == ["vase"], "a day apart is not one basket")
        for product in products.map(\.id) {
            let applied = live.basketCoPurchase.neighbours(of: product)
            let rebuilt = restarted.basketCoPurchase.neighbours(of: product)
            #expect(applied.map(\.productID) == rebuilt.map(\.productID), "\(product)")
            for (a, b) in zip(applied, rebuilt) { #expect(abs(a.score - b.score) < 1e-4, "\(product) → \(a.productID)") }
        }
        await redis.close()
    }
}
