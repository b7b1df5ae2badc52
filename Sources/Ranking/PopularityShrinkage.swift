import Domain
import Foundation

/// How a widget's popularity weight γ shrinks with what the shopper has bought:
/// `γ · k / (k + n)`, n = the distinct products they bought (only those bought in the last
/// `windowDays` days before the request's clock, when set), k = `halvingPurchases`.
///
/// Why: shop-wide popularity stands in for what the service does not know about a person. A
/// newcomer with two purchases has little else, so popularity should carry their list; a
/// wholesaler with 300 products bought has collaborative neighbours and co-purchase seeds that
/// say far more about them, and the same γ lets this season's best-sellers crowd those out. One
/// γ for everyone was tuned on the summer window, where popularity carried the list, and lost on
/// last year's autumn, where the collaborative signals did (docs/QUALITY.md, issue #20).
/// Everything it reads is the shopper's own history before the request, so it serves as it is
/// measured.
public struct PopularityShrinkage: Sendable, Hashable, Codable {
    /// k: the number of distinct purchased products at which γ is halved (> 0).
    public var halvingPurchases: Float
    /// Count only products bought in the last this many days (`nil` = every purchase). The
    /// served history holds the newest events only, so a window counts what it holds.
    public var windowDays: Int?

    public init(halvingPurchases: Float, windowDays: Int? = nil) {
        self.halvingPurchases = halvingPurchases
        self.windowDays = windowDays
    }

    /// n for `shopper`: the distinct products bought (in the window, when set). Without a window
    /// the purchased set counts as well as the history, since the served history is only the
    /// newest events while the purchased set is every product ever bought.
    public func purchaseCount(of shopper: ShopperContext) -> Int {
        var products = Set<ProductID>()
        let cutoff = windowDays.map { shopper.now.addingTimeInterval(-Double($0) * 86_400) }
        for event in shopper.history where event.type == .purchase {
            if let cutoff, event.occurredAt < cutoff { continue }
            products.insert(event.productID)
        }
        return windowDays == nil ? max(products.count, shopper.purchased.count) : products.count
    }

    /// `k / (k + n)`: 1 for a shopper with no purchases, ½ at k of them, towards 0 beyond.
    public func factor(for shopper: ShopperContext) -> Float {
        guard halvingPurchases > 0 else { return 1 }
        return halvingPurchases / (halvingPurchases + Float(purchaseCount(of: shopper)))
    }

    /// `weights` with γ scaled for `shopper`; the other weights are unchanged.
    public func weights(_ weights: RankingWeights, for shopper: ShopperContext) -> RankingWeights {
        var scaled = weights
        scaled.popularity *= factor(for: shopper)
        return scaled
    }
}
