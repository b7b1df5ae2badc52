import Domain
import Foundation
import NIOConcurrencyHelpers

/// The catalog as this replica serves it: loaded from PostgreSQL at start, then changed in the
/// same call that writes PostgreSQL, so a deleted or out-of-stock product leaves every widget at
/// once (the stock rule reads this, not a cache with a TTL).
public final class LiveCatalog: ProductCatalog, Sendable {
    /// A product, held by reference so a look-up retains one object instead of copying the
    /// product's strings.
    fileprivate final class Record: Sendable {
        let product: Product

        init(_ product: Product) {
            self.product = product
        }
    }

    private struct Storage {
        /// Product id → dense position in `records` and `facts`. Products are never removed (a
        /// deleted one stays, marked), so positions are stable. FNV-hashed: a request's ~60 fact
        /// look-ups each paid a SipHash of the id in a dictionary.
        var positions = ProductSlotMap(capacity: 0)
        var records: [Record] = []
        /// Each product's rule facts, inline in their own table: the rules read them for ~60 items
        /// of every request, and through `Record` each look-up also fetched a cold object and
        /// retained and released it (an atomic write to a cache line no other look-up shares).
        var facts: [ProductFacts] = []
        /// Available products, newest first; rebuilt lazily after a change.
        var newest: [ProductID]?
        /// Each category's spelling in the catalog, by its case-folded form (the first spelling
        /// seen wins), so a filter typed `lighting` finds `Lighting`.
        var categorySpellings: [String: String] = [:]
        /// Products not deleted (what `/health` reports as the catalog's size).
        var liveCount = 0
        /// How many products are priced in each currency (the main one answers price filters
        /// that name none).
        var currencyCounts: [String: Int] = [:]

        mutating func put(_ product: Product) {
            newest = nil
            if !product.category.isEmpty {
                let folded = LiveCatalog.fold(product.category)
                if categorySpellings[folded] == nil { categorySpellings[folded] = product.category }
            }
            let (position, inserted) = positions.slot(for: product.id)
            let wasLive = !inserted && records[position].product.deletedAt == nil
            liveCount += (product.deletedAt == nil ? 1 : 0) - (wasLive ? 1 : 0)
            if !inserted { currencyCounts[records[position].product.currency, default: 1] -= 1 }
            currencyCounts[product.currency, default: 0] += 1
            if inserted {
                records.append(Record(product))
                facts.append(ProductFacts(product))
            } else {
                records[position] = Record(product)
                facts[position] = ProductFacts(product)
            }
        }
    }

    private let storage = NIOLockedValueBox(Storage())

    /// The catalog as of one moment, read without the lock: a request takes one at its start and
    /// its rules, rerank window and response all read it (dozens of look-ups per request that
    /// would otherwise each take the lock every other request contends for).
    ///
    /// It shares the live tables' storage, so taking it is a few retains; a write while a
    /// snapshot is alive copies the tables once (O(catalog size); a batch upsert copies once
    /// for the whole batch), after which the writer owns its storage again.
    public struct Snapshot: ProductCatalog {
        fileprivate let positions: ProductSlotMap
        fileprivate let records: [Record]
        fileprivate let factTable: [ProductFacts]

        public func product(_ id: ProductID) -> Product? { positions.slot(of: id).map { records[$0].product } }

        public func facts(_ id: ProductID) -> ProductFacts? { positions.slot(of: id).map { factTable[$0] } }

        public func facts(of ids: [ProductID]) -> [ProductFacts?] {
            positions.slots(of: ids).map { slot in slot.map { factTable[$0] } }
        }
    }

    public func snapshot() -> Snapshot {
        storage.withLockedValue { Snapshot(positions: $0.positions, records: $0.records, factTable: $0.facts) }
    }

    public init(_ initial: [Product] = []) {
        storage.withLockedValue { storage in
            for product in initial { storage.put(product) }
        }
    }

    // Reads of the live catalog go through a snapshot taken for the call: one implementation of
    // every look-up, one lock per call (a batch is answered from one consistent view).

    public func product(_ id: ProductID) -> Product? { snapshot().product(id) }

    public func facts(_ id: ProductID) -> ProductFacts? { snapshot().facts(id) }

    public func facts(of ids: [ProductID]) -> [ProductFacts?] { snapshot().facts(of: ids) }

    public func upsert(_ product: Product) {
        storage.withLockedValue { $0.put(product) }
    }

    public func upsert(_ batch: [Product]) {
        storage.withLockedValue { storage in
            for product in batch { storage.put(product) }
        }
    }

    public var count: Int { storage.withLockedValue { $0.records.count } }

    /// Products that are not deleted (deleted ones stay in the tables, marked).
    public var liveCount: Int { storage.withLockedValue { $0.liveCount } }

    /// The catalog's spelling of `category`, matched without regard to case or surrounding
    /// spaces; `nil` when no product was ever in such a category.
    public func canonicalCategory(_ category: String) -> String? {
        let folded = Self.fold(category)
        return storage.withLockedValue { $0.categorySpellings[folded] }
    }

    /// The currency most products are priced in, when the catalog holds more than one (`nil`
    /// for a one-currency catalog, where a price filter needs no currency).
    public var mainCurrencyIfMixed: String? {
        storage.withLockedValue { storage in
            let used = storage.currencyCounts.filter { $0.value > 0 }
            guard used.count > 1 else { return nil }
            return used.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key
        }
    }

    static func fold(_ category: String) -> String {
        category.trimmingCharacters(in: .whitespaces).lowercased()
    }

    /// The newest available products: the last-resort fill list for a shop whose popularity
    /// lists are still short (a new shop, a quiet category).
    /// - Complexity: O(1) amortised; O(n log n) after a catalog change.
    public func newestAvailable(limit: Int) -> [ProductID] {
        storage.withLockedValue { storage in
            if storage.newest == nil {
                var available: [Product] = []
                for record in storage.records where record.product.isAvailable { available.append(record.product) }
                available.sort { $0.createdAt != $1.createdAt ? $0.createdAt > $1.createdAt : $0.id < $1.id }
                storage.newest = available.map(\.id)
            }
            return Array(storage.newest!.prefix(limit))
        }
    }

    /// Every product, available or not (for index rebuilds and fill lists).
    public func allProducts() -> [Product] {
        storage.withLockedValue { $0.records.map(\.product) }
    }
}
