import Domain
import Foundation
import Testing
@testable import Engine
@testable import Ranking
import Support

/// The live catalog's batched facts must always agree with the products it holds: the stock rule
/// reads only their availability (`RuleContext.attachFacts`, then `facts?.availability ?? .unknown`).
struct LiveCatalogTests {
    /// Each product's availability as the stock rule reads it from one batched facts answer.
    private func availability(_ catalog: some ProductCatalog, _ ids: [ProductID]) -> [ProductAvailability] {
        catalog.facts(of: ids).map { $0?.availability ?? .unknown }
    }

    @Test func availabilityFollowsEveryUpsert() {
        let catalog = LiveCatalog([
            Product(id: "a", name: "a"),
            Product(id: "b", name: "b", stockQuantity: 0),
            Product(id: "c", name: "c", deletedAt: Date(timeIntervalSince1970: 0)),
            Product(id: "d", name: "d", inStock: false),
        ])
        #expect(availability(catalog, ["a", "b", "c", "d", "zz"]) == [.available, .outOfStock, .deleted, .outOfStock, .unknown])
        catalog.upsert(Product(id: "b", name: "b", stockQuantity: 3))
        catalog.upsert(Product(id: "a", name: "a", inStock: false))
        #expect(availability(catalog, ["a", "b"]) == [.outOfStock, .available])
        // The batched answer is the same as asking product by product.
        let ids: [ProductID] = ["a", "b", "c", "d", "zz"]
        #expect(availability(catalog, ids) == ids.map { ProductAvailability(catalog.product($0)) })
    }

    @Test func theLiveCountDropsOnDeleteAndCategoriesMatchWhateverTheCase() {
        let catalog = LiveCatalog([
            Product(id: "a", name: "a", category: "Lighting"), Product(id: "b", name: "b", category: "Kitchen"),
            Product(id: "c", name: "c", deletedAt: Date(timeIntervalSince1970: 0)),
        ])
        #expect(catalog.count == 3 && catalog.liveCount == 2)
        catalog.upsert(Product(id: "a", name: "a", category: "Lighting", deletedAt: Date()))
        #expect(catalog.liveCount == 1)
        catalog.upsert(Product(id: "a", name: "a", category: "Lighting"))
        catalog.upsert(Product(id: "e", name: "e", category: "lighting"))
        #expect(catalog.liveCount == 3)
        #expect(catalog.canonicalCategory(" LIGHTING ") == "Lighting")
        #expect(catalog.canonicalCategory("kitchen") == "Kitchen")
        #expect(catalog.canonicalCategory("garden") == nil)
        // One currency: price filters need none. Mixed: the one most products use.
        #expect(catalog.mainCurrencyIfMixed == nil)
        catalog.upsert(Product(id: "f", name: "f", currency: "EUR"))
        #expect(catalog.mainCurrencyIfMixed == "GBP")
        catalog.upsert([Product(id: "g", name: "g", currency: "EUR"), Product(id: "h", name: "h", currency: "EUR"),
                        Product(id: "a", name: "a", category: "Lighting", currency: "EUR"),
                        Product(id: "b", name: "b", category: "Kitchen", currency: "EUR")])
        #expect(catalog.mainCurrencyIfMixed == "EUR")
    }

    /// A request reads one snapshot from start to end: a write after it was taken changes the live
    /// catalog and every later snapshot, never the one in use.
    @Test func aSnapshotKeepsItsViewWhileTheLiveCatalogChanges() {
        let catalog = LiveCatalog([
            Product(id: "a", name: "a", category: "Kitchen"),
            Product(id: "b", name: "b", category: "Garden"),
        ])
        let before = catalog.snapshot()
        catalog.upsert(Product(id: "a", name: "a2", category: "Toys", inStock: false))
        catalog.upsert([Product(id: "c", name: "c"), Product(id: "b", name: "b", deletedAt: Date(timeIntervalSince1970: 0))])

        #expect(availability(before, ["a", "b", "c"]) == [.available, .available, .unknown])
        #expect(before.product("a")?.name == "a")
        #expect(before.facts("a")?.category == "Kitchen")
        #expect(before.facts("c") == nil)

        let after = catalog.snapshot()
        #expect(availability(after, ["a", "b", "c"]) == [.outOfStock, .deleted, .available])
        #expect(after.facts("a")?.category == "Toys")
        #expect(after.product("a")?.name == "a2")
        // The snapshot answers exactly as the live catalog does, item by item and batched.
        let ids: [ProductID] = ["a", "b", "c", "zz"]
        #expect(after.facts(of: ids) == catalog.facts(of: ids))
        #expect(ids.map { after.facts($0) } == ids.map { catalog.facts($0) })
        #expect(availability(after, ids) == availability(catalog, ids))
    }
}
