/// Which rules run and how strongly, per widget and per experiment variant.
/// Defaults follow issue #5; every field has one so a variant can override just one knob.
public struct RuleOptions: Sendable, Hashable, Codable {
    /// Drop deleted and out-of-stock products (checked against the live catalog).
    public var stockFilter: Bool = true
    /// Drop products the user already purchased (homepage discovery).
    public var excludePurchased: Bool = false
    /// Drop the anchor product (product page) and the cart items (cart widget).
    public var excludeContext: Bool = true
    /// Multiplicative boost for promoted products (+20%).
    public var promotionBoost: Float = 0.20
    /// Multiplicative boost for products created in the last `newArrivalDays` days (+10%).
    public var newArrivalBoost: Float = 0.10
    public var newArrivalDays: Int = 30
    /// At most `diversityMaxPerCategory` items of one category in the first `diversityWindow` positions.
    public var diversityMaxPerCategory: Int = 3
    public var diversityWindow: Int = 10
    /// The diversity cap leaves the anchor product's own category alone (the product page's
    /// default): similar items are what that page is for, and capping them let unrelated popular
    /// filler take their places. Other categories stay capped.
    public var diversityExemptsAnchorCategory: Bool = false
    /// Products the shopper bought within this many days are not shown (0 = off). The cart and
    /// frequently-bought-together widgets default to 1: their first suggestion must not be the
    /// thing bought a minute ago. Read from the shopper's recent history (the events the service
    /// keeps per shopper).
    public var excludeRecentPurchasesDays: Int = 0
    /// MMR λ on embeddings for catalogs without categories (`nil` = off).
    public var mmrLambda: Float? = nil
    /// Refill from popularity (same category, then global) when rules leave fewer than `limit`.
    public var fill: Bool = true

    public init() {}
}
