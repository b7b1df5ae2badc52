import Domain
import Foundation
import NIOConcurrencyHelpers

/// The catalog as this replica serves it: loaded from PostgreSQL at start, then changed in the
/// same call that writes PostgreSQL, so a deleted or out-of-stock product leaves every widget at
/// once (the stock rule reads this, not a cache with a TTL).
public final class LiveCatalog: ProductCatalog, Sendable {
    private let products = NIOLockedValueBox([ProductID: Product]())

    public init(_ initial: [Product] = []) {
        products.withLockedValue { storage in
            for product in initial { storage[product.id] = product }
        }
    }

    public func product(_ id: ProductID) -> Product? {
        products.withLockedValue { $0[id] }
    }

    public func upsert(_ product: Product) {
        products.withLockedValue { $0[product.id] = product }
    }

    public func upsert(_ batch: [Product]) {
        products.withLockedValue { storage in
            for product in batch { storage[product.id] = product }
        }
    }

    public var count: Int { products.withLockedValue { $0.count } }

    /// Every product, available or not (for index rebuilds and fill lists).
    public func allProducts() -> [Product] {
        products.withLockedValue { Array($0.values) }
    }
}
