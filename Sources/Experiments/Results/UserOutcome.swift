/// One user's totals in one variant of an experiment (a row of `ResultsSQL.userRows`).
/// The user is the unit of analysis: every statistic treats users as independent.
public struct UserOutcome: Sendable, Hashable, Codable {
    public var userID: String
    public var variantKey: String
    public var exposures: Int
    public var itemsShown: Int
    public var clicks: Int
    public var addToCarts: Int
    public var purchases: Int
    public var revenue: Double
    /// Purchase revenue before the experiment started (the CUPED covariate).
    public var preRevenue: Double

    public init(
        userID: String, variantKey: String, exposures: Int, itemsShown: Int = 0, clicks: Int = 0,
        addToCarts: Int = 0, purchases: Int = 0, revenue: Double = 0, preRevenue: Double = 0
    ) {
        self.userID = userID
        self.variantKey = variantKey
        self.exposures = exposures
        self.itemsShown = itemsShown
        self.clicks = clicks
        self.addToCarts = addToCarts
        self.purchases = purchases
        self.revenue = revenue
        self.preRevenue = preRevenue
    }
}
