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
    /// MMR λ on embeddings for catalogs without categories (`nil` = off).
    public var mmrLambda: Float? = nil
    /// Refill from popularity (same category, then global) when rules leave fewer than `limit`.
    public var fill: Bool = true

    public init() {}
}
