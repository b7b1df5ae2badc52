import Domain

/// Puts `RuleContext.pinned` products at their fixed positions (0-based), lowest position first,
/// after every other rule. A pinned product already in the list moves (keeping its scores); one
/// that is not gets a fresh item with `final` 0. Pins of unavailable or blocked products are
/// ignored: a pin never brings back what the stock rule or the block list removed. Positions past
/// the end of the list append.
/// - Complexity: O(p · n) for p pins.
public struct PinRule: Rule {
    public let name = "pin"

    public init() {}

    public func apply(to items: inout [ScoredItem], context: RuleContext, report: inout RuleReport) {
        guard !context.pinned.isEmpty else { return }
        for (position, productID) in context.pinned.sorted(by: { $0.key < $1.key }) where position >= 0 {
            guard !context.blockList.contains(productID),
                let product = context.catalog.product(productID), product.isAvailable
            else { continue }
            var item: ScoredItem
            if let existing = items.firstIndex(where: { $0.productID == productID }) {
                item = items.remove(at: existing)
            } else {
                item = ScoredItem(productID: productID)
            }
            item.rulesFired.append(RuleLabel.pinned)
            items.insert(item, at: min(position, items.count))
        }
    }
}
