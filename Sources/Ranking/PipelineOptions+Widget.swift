import Domain
import Rerank
import Rules
import Scoring

extension PipelineOptions {
    /// The service defaults adjusted for one widget, before any experiment variant applies:
    /// - homepage: discovery, so products the user already bought are excluded; weights tuned on task A;
    /// - cart: weights tuned on task C (basket completion);
    /// - frequently bought together: co-purchase evidence dominates, similarity is the fallback;
    /// - product / frequently bought together / cart: the anchor and cart items are excluded;
    /// - product: the diversity cap leaves the anchor's own category alone, so similar items are
    ///   not pushed out by unrelated popular filler (the cap still spreads the other categories);
    /// - cart / frequently bought together: what the shopper bought in the last day is not
    ///   suggested again;
    /// - search: the cross-encoder's contract is purchase context, not a typed query, so rerank
    ///   is off, and filtered results are not refilled from unfiltered popularity.
    public func defaults(for widget: Widget) -> PipelineOptions {
        var options = self
        switch widget {
        case .homepage:
            options.weights = .homepageDefault
            options.rules.excludePurchased = true
        case .cart:
            options.weights = .cartDefault
            options.rules.excludeContext = true
            options.rules.excludeRecentPurchasesDays = Self.recentPurchaseExclusionDays
        case .frequentlyBoughtTogether:
            // Co-purchase first; similar products (content) only rank after every co-purchased one.
            options.weights = RankingWeights(content: 0.05, collaborative: 1, popularity: 0)
            options.rules.excludeContext = true
            options.rules.excludeRecentPurchasesDays = Self.recentPurchaseExclusionDays
        case .product:
            options.rules.excludeContext = true
            options.rules.diversityExemptsAnchorCategory = true
        case .search:
            options.rerank.window = 0
            options.rules.fill = false
        }
        return options
    }

    /// How far back the cart and frequently-bought-together widgets look for purchases not to
    /// suggest again (`exclude_recent_purchases_days` overrides it per widget or variant). One
    /// day, not weeks: the cart deliberately suggests restocking what a wholesale buyer bought
    /// before (`CoPurchaseSource.repeatWeight`), which a long window would switch off; what was
    /// bought today is never what the cart should suggest first.
    public static let recentPurchaseExclusionDays = 1
}
