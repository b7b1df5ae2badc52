import Domain

/// The filterable attributes of one indexed product, stored next to its vector so a filtered
/// search checks plain numbers, never strings (categories are interned to codes).
public struct RowAttributes: Sendable, Hashable {
    public var categoryCode: Int32
    public var price: Double
    public var available: Bool

    public init(categoryCode: Int32, price: Double, available: Bool) {
        self.categoryCode = categoryCode
        self.price = price
        self.available = available
    }
}

/// A `ProductFilter` with its category resolved to a code once per search.
public struct CompiledFilter: Sendable {
    /// −1 = any category; −2 = a category the index has never seen (nothing matches).
    public var categoryCode: Int32
    public var minPrice: Double
    public var maxPrice: Double
    public var inStockOnly: Bool

    public init(_ filter: ProductFilter, categoryCodes: [String: Int32]) {
        if let category = filter.category {
            categoryCode = categoryCodes[category] ?? -2
        } else {
            categoryCode = -1
        }
        minPrice = filter.minPrice ?? -.infinity
        maxPrice = filter.maxPrice ?? .infinity
        inStockOnly = filter.inStockOnly
    }

    /// Whether a filter lets everything through (then the plain search path is used).
    public var isTrivial: Bool {
        categoryCode == -1 && minPrice == -.infinity && maxPrice == .infinity && !inStockOnly
    }

    @inline(__always)
    public func matches(_ row: RowAttributes) -> Bool {
        (categoryCode == -1 || row.categoryCode == categoryCode)
            && row.price >= minPrice && row.price <= maxPrice
            && (!inStockOnly || row.available)
    }
}
