import Domain

/// The filterable attributes of one indexed product, stored next to its vector so a filtered
/// search checks plain numbers, never strings (categories are interned to codes).
public struct RowAttributes: Sendable, Hashable, BitwiseCopyable {
    public var categoryCode: Int32
    public var price: Double
    public var available: Bool
    /// The price's currency, interned (`AttributeCodes`); fits in the padding after `available`.
    public var currencyCode: Int16 = 0
}

/// Interns the strings rows are filtered on (categories, currencies) into small codes, so the
/// scan compares integers. One per index; written under the index's lock.
public struct AttributeCodes: Sendable {
    private var categories: [String: Int32] = [:]
    private var currencies: [String: Int16] = [:]

    public init() {}

    /// Rebuilds the tables a snapshot saved (`tables`), so saved rows keep their codes.
    init(categories: [String: Int32], currencies: [String: Int16]) {
        self.categories = categories
        self.currencies = currencies
    }

    /// The interning tables, for snapshots.
    var tables: (categories: [String: Int32], currencies: [String: Int16]) { (categories, currencies) }

    /// The attributes of `product`, interning its category and currency on first sight.
    public mutating func row(for product: Product) -> RowAttributes {
        RowAttributes(
            categoryCode: Self.intern(product.category, in: &categories), price: product.price,
            available: product.isAvailable, currencyCode: Self.intern(product.currency, in: &currencies))
    }

    /// `filter` with its strings resolved to codes (once per search).
    public func compile(_ filter: ProductFilter) -> CompiledFilter {
        CompiledFilter(filter, categoryCodes: categories, currencyCodes: currencies)
    }

    private static func intern<Code: FixedWidthInteger>(_ value: String, in codes: inout [String: Code]) -> Code {
        if let code = codes[value] { return code }
        let code = Code(codes.count)
        codes[value] = code
        return code
    }
}

/// A `ProductFilter` with its category resolved to a code once per search.
public struct CompiledFilter: Sendable {
    /// −1 = any category; −2 = a category the index has never seen (nothing matches).
    public var categoryCode: Int32
    public var minPrice: Double
    public var maxPrice: Double
    public var inStockOnly: Bool
    /// −1 = any currency; −2 = a currency the index has never seen.
    public var currencyCode: Int16

    public init(_ filter: ProductFilter, categoryCodes: [String: Int32], currencyCodes: [String: Int16] = [:]) {
        if let category = filter.category {
            categoryCode = categoryCodes[category] ?? -2
        } else {
            categoryCode = -1
        }
        if let currency = filter.currency {
            currencyCode = currencyCodes[currency] ?? -2
        } else {
            currencyCode = -1
        }
        minPrice = filter.minPrice ?? -.infinity
        maxPrice = filter.maxPrice ?? .infinity
        inStockOnly = filter.inStockOnly
    }

    /// Whether a filter lets everything through (then the plain search path is used).
    public var isTrivial: Bool {
        categoryCode == -1 && currencyCode == -1 && minPrice == -.infinity && maxPrice == .infinity && !inStockOnly
    }

    @inline(__always)
    public func matches(_ row: RowAttributes) -> Bool {
        (categoryCode == -1 || row.categoryCode == categoryCode)
            && (currencyCode == -1 || row.currencyCode == currencyCode)
            && row.price >= minPrice && row.price <= maxPrice
            && (!inStockOnly || row.available)
    }
}
