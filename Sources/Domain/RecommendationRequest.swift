/// Filters applied inside candidate search (never after it), so a filtered search still fills.
public struct ProductFilter: Sendable, Hashable, Codable {
    public var category: String?
    public var minPrice: Double?
    public var maxPrice: Double?
    public var inStockOnly: Bool
    /// Only products priced in this ISO 4217 currency: prices in different currencies are not
    /// comparable, so a price filter holds within one currency.
    public var currency: String?

    public init(
        category: String? = nil, minPrice: Double? = nil, maxPrice: Double? = nil, inStockOnly: Bool = true,
        currency: String? = nil
    ) {
        self.category = category
        self.minPrice = minPrice
        self.maxPrice = maxPrice
        self.inStockOnly = inStockOnly
        self.currency = currency
    }

    public static let none = ProductFilter(inStockOnly: false)

    public func matches(_ product: Product) -> Bool {
        if let category, product.category != category { return false }
        if let currency, product.currency != currency { return false }
        if let minPrice, product.price < minPrice { return false }
        if let maxPrice, product.price > maxPrice { return false }
        if inStockOnly, !product.isAvailable { return false }
        return true
    }
}

/// Everything a widget request says about the shopper and the placement.
public struct RecommendationRequest: Sendable, Hashable {
    public var widget: Widget
    public var userID: UserID?
    /// The product page's product (product and frequently-bought-together widgets).
    public var anchorProductID: ProductID?
    /// Items in the shopper's cart (cart widget), most recent last.
    public var cartItems: [ProductID]
    /// Free text (search widget).
    public var queryText: String?
    public var filter: ProductFilter
    public var limit: Int

    public init(
        widget: Widget,
        userID: UserID? = nil,
        anchorProductID: ProductID? = nil,
        cartItems: [ProductID] = [],
        queryText: String? = nil,
        filter: ProductFilter = ProductFilter(),
        limit: Int = 10
    ) {
        self.widget = widget
        self.userID = userID
        self.anchorProductID = anchorProductID
        self.cartItems = cartItems
        self.queryText = queryText
        self.filter = filter
        self.limit = limit
    }
}
