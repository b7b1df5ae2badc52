import Domain
import Foundation
import Testing
@testable import Server

/// The live catalog's batched availability answer must always agree with the products it holds:
/// the stock rule reads only that answer.
struct LiveCatalogTests {
    @Test func availabilityFollowsEveryUpsert() {
        let catalog = LiveCatalog([
            Product(id: "a", name: "a"),
            Product(id: "b", name: "b", stockQuantity: 0),
            Product(id: "c", name: "c", deletedAt: Date(timeIntervalSince1970: 0)),
            Product(id: "d", name: "d", inStock: false),
        ])
        #expect(catalog.availability(of: ["a", "b", "c", "d", "zz"]) == [.available, .outOfStock, .deleted, .outOfStock, .unknown])
        catalog.upsert(Product(id: "b", name: "b", stockQuantity: 3))
        catalog.upsert(Product(id: "a", name: "a", inStock: false))
        #expect(catalog.availability(of: ["a", "b"]) == [.outOfStock, .available])
        // The batched answer is the same as asking product by product.
        let ids: [ProductID] = ["a", "b", "c", "d", "zz"]
        #expect(catalog.availability(of: ids) == ids.map { ProductAvailability(catalog.product($0)) })
    }
}
