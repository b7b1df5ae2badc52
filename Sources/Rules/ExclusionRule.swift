import Foundation
import Domain

/// Drops what the shopper should not be shown here: products already purchased (when
/// `excludePurchased`, the homepage's discovery setting), the anchor product of a product page,
/// the items already in the cart (when `excludeContext`), and the request's block list (always).
/// - Complexity: O(n) set look-ups.
public struct ExclusionRule: Rule {
    public let name = "exclusions"
    public var excludePurchased: Bool
    public var excludeContext: Bool
    /// Products purchased in the shopper's history within this many seconds of `now` are dropped
    /// (0 = off); see `RuleOptions.excludeRecentPurchasesDays`.
    public var recentPurchaseWindow: TimeInterval

    public init(excludePurchased: Bool, excludeContext: Bool, recentPurchaseWindow: TimeInterval = 0) {
        self.excludePurchased = excludePurchased
        self.excludeContext = excludeContext
        self.recentPurchaseWindow = recentPurchaseWindow
    }

    /// The exclusions `options` ask for.
    public init(options: RuleOptions) {
        self.init(
            excludePurchased: options.excludePurchased, excludeContext: options.excludeContext,
            recentPurchaseWindow: TimeInterval(max(0, options.excludeRecentPurchasesDays)) * 86_400)
    }

    /// The label of the reason `productID` is excluded, or `nil` when it may be shown.
    /// `FillRule` and `PinRule` use the same test, so refills never bring an excluded item back.
    public func exclusionLabel(for productID: ProductID, context: RuleContext, cart: Set<ProductID>) -> String? {
        if context.blockList.contains(productID) { return RuleLabel.filteredBlocked }
        if excludeContext {
            if productID == context.shopper.request.anchorProductID { return RuleLabel.filteredAnchor }
            if cart.contains(productID) { return RuleLabel.filteredCart }
        }
        if excludePurchased, context.shopper.purchased.contains(productID) { return RuleLabel.filteredPurchased }
        if recentPurchaseWindow > 0, boughtRecently(productID, context: context) { return RuleLabel.filteredRecentPurchase }
        return nil
    }

    /// The products this rule removes from any list for `shopper` whatever their score: the
    /// purchases when `excludePurchased`, the cart items and anchor when `excludeContext` (the
    /// cases of `exclusionLabel` that depend on neither the block list nor recency). The pipeline
    /// drops them before the blend (`RecommendationPipeline.dropsExcludedCandidates`).
    public func unconditionalExclusions(for shopper: ShopperContext) -> Set<ProductID> {
        var excluded: Set<ProductID> = excludePurchased ? shopper.purchased : []
        if excludeContext {
            excluded.formUnion(shopper.request.cartItems)
            if let anchor = shopper.request.anchorProductID { excluded.insert(anchor) }
        }
        return excluded
    }

    /// A linear scan of the (bounded) recent history: cheaper than building a set for the few
    /// products a cart or FBT list checks.
    private func boughtRecently(_ productID: ProductID, context: RuleContext) -> Bool {
        let since = context.shopper.now.addingTimeInterval(-recentPurchaseWindow)
        return context.shopper.history.contains {
            $0.type == .purchase && $0.productID == productID && $0.occurredAt >= since
        }
    }

    public func apply(to items: inout [ScoredItem], context: RuleContext, report: inout RuleReport) {
        let cart = Set(context.shopper.request.cartItems)
        items.removeAll { item in
            guard let label = exclusionLabel(for: item.productID, context: context, cart: cart) else { return false }
            report.remove(item.productID, label: label)
            return true
        }
    }
}
