/// The labels rules write into `ScoredItem.rulesFired` and `RuleReport`; explain shows them
/// verbatim, so they are part of the API.
public enum RuleLabel {
    public static let filteredStock = "filtered:stock"
    public static let filteredDeleted = "filtered:deleted"
    public static let filteredPurchased = "filtered:purchased"
    public static let filteredRecentPurchase = "filtered:recent_purchase"
    public static let filteredAnchor = "filtered:anchor"
    public static let filteredCart = "filtered:cart"
    public static let filteredBlocked = "filtered:blocked"
    public static let filteredDuplicate = "filtered:duplicate"
    public static let filteredCategory = "filtered:category"
    public static let filteredCurrency = "filtered:currency"
    /// Boost labels carry their factor: "boost:promotion*1.20", "boost:new_arrival*1.10".
    public static let boostPromotion = "boost:promotion"
    public static let boostNewArrival = "boost:new_arrival"
    public static let demotedDiversity = "demoted:diversity"
    public static let reorderedMMR = "reordered:mmr"
    public static let fillCategory = "fill:category"
    public static let fillGlobal = "fill:global"
    public static let pinned = "pinned"
}
