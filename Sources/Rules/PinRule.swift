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
        var pins: [(position: Int, productID: ProductID)] = []
        var seen = Set<ProductID>()
        for (position, productID) in context.pinned.sorted(by: { $0.key < $1.key }) where position >= 0 {
            guard seen.insert(productID).inserted, !context.blockList.contains(productID),
                let product = context.catalog.product(productID), product.isAvailable
            else { continue }
            pins.append((position, productID))
        }
        guard !pins.isEmpty else { return }
        // Take every pinned product out first, then insert by ascending position: a later insert
        // never shifts an earlier one.
        var pinnedItems: [ProductID: ScoredItem] = [:]
        items.removeAll { item in
            guard seen.contains(item.productID), pinnedItems[item.productID] == nil else { return false }
            pinnedItems[item.productID] = item
            return true
        }
        for pin in pins {
            var item = pinnedItems[pin.productID] ?? ScoredItem(productID: pin.productID)
            item.rulesFired.append(RuleLabel.pinned)
            items.insert(item, at: min(pin.position, items.count))
        }
    }
}
