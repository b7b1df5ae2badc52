import Domain

/// Drops what the shopper should not be shown here: products already purchased (when
/// `excludePurchased`, the homepage's discovery setting), the anchor product of a product page,
/// the items already in the cart (when `excludeContext`), and the request's block list (always).
/// - Complexity: O(n) set look-ups.
public struct ExclusionRule: Rule {
    public let name = "exclusions"
    public var excludePurchased: Bool
    public var excludeContext: Bool

    public init(excludePurchased: Bool, excludeContext: Bool) {
        self.excludePurchased = excludePurchased
        self.excludeContext = excludeContext
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
        return nil
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
