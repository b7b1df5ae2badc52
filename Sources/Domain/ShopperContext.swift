import Foundation

/// What the stages know about one request's shopper, assembled once per request: by the server
/// from Redis/PostgreSQL, or by the offline batch from files. Stages never fetch it themselves.
public struct ShopperContext: Sendable {
    public var request: RecommendationRequest
    /// The user's interactions, most recent first (may be empty: cold start).
    public var history: [Interaction]
    /// Everything the user ever purchased (for the "already purchased" exclusion).
    public var purchased: Set<ProductID>
    /// The content query vector (anchor product, preference vector, cart aggregate or text),
    /// L2-normalised; `nil` when there is nothing to search with.
    public var queryVector: [Float]?
    /// The request's clock; offline evaluation sets it to the split date.
    public var now: Date

    public init(
        request: RecommendationRequest,
        history: [Interaction] = [],
        purchased: Set<ProductID> = [],
        queryVector: [Float]? = nil,
        now: Date = Date()
    ) {
        self.request = request
        self.history = history
        self.purchased = purchased
        self.queryVector = queryVector
        self.now = now
    }

    /// Names of the most recent distinct purchased products, most recent first
    /// (the cross-encoder's query contract uses up to 5 of them).
    public func recentPurchasedProductIDs(limit: Int) -> [ProductID] {
        Self.recentPurchasedProductIDs(in: history, limit: limit)
    }

    /// The same for any history, most recent first (also a part of one: the reranker asks
    /// whether the newest events already fix its query).
    public static func recentPurchasedProductIDs(in history: [Interaction], limit: Int) -> [ProductID] {
        var seen = Set<ProductID>()
        var result: [ProductID] = []
        for event in history where event.type == .purchase && seen.insert(event.productID).inserted {
            result.append(event.productID)
            if result.count == limit { break }
        }
        return result
    }
}
