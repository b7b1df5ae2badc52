/// One day of one variant (summed over widgets): a row of `RollupSQL.dailySeries`, plotted by
/// the dashboard's daily charts.
public struct DailyVariantPerformance: Sendable, Hashable, Codable {
    /// UTC day, `YYYY-MM-DD`.
    public var date: String
    public var variantKey: String
    public var usersExposed: Int
    public var exposures: Int
    public var itemsShown: Int
    public var clicks: Int
    public var addToCarts: Int
    public var purchases: Int
    public var revenue: Double

    public init(
        date: String, variantKey: String, usersExposed: Int, exposures: Int, itemsShown: Int = 0,
        clicks: Int, addToCarts: Int = 0, purchases: Int = 0, revenue: Double
    ) {
        self.date = date
        self.variantKey = variantKey
        self.usersExposed = usersExposed
        self.exposures = exposures
        self.itemsShown = itemsShown
        self.clicks = clicks
        self.addToCarts = addToCarts
        self.purchases = purchases
        self.revenue = revenue
    }

    /// Clicks per exposure (0 without exposures).
    public var ctr: Double { exposures > 0 ? Double(clicks) / Double(exposures) : 0 }

    /// Revenue per user exposed that day (0 without users).
    public var revenuePerUser: Double { usersExposed > 0 ? revenue / Double(usersExposed) : 0 }

    enum CodingKeys: String, CodingKey {
        case date
        case variantKey = "variant_key"
        case usersExposed = "users_exposed"
        case exposures
        case itemsShown = "items_shown"
        case clicks
        case addToCarts = "add_to_carts"
        case purchases, revenue
    }
}
