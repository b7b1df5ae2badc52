import Domain

/// Drops products that are deleted, out of stock or unknown to the live catalog.
///
/// Reads `RuleContext.catalog` at serve time (the server's `LiveCatalog`, updated in the same
/// call that writes PostgreSQL), never a cached copy, so a product leaves every widget at once.
/// Also drops repeated product ids (keeping the first), so later rules see each product once.
/// - Complexity: O(n): one batched look-up of the items' facts (`RuleContext.attachFacts(to:)`),
///   which later rules read from the items.
public struct StockRule: Rule {
    public let name = "stock"

    public init() {}

    public func apply(to items: inout [ScoredItem], context: RuleContext, report: inout RuleReport) {
        var seen = Set<ProductID>()
        seen.reserveCapacity(items.count)
        context.attachFacts(to: &items)
        var kept: [ScoredItem] = []
        kept.reserveCapacity(items.count)
        for item in items {
            guard seen.insert(item.productID).inserted else {
                report.remove(item.productID, label: RuleLabel.filteredDuplicate)
                continue
            }
            switch item.facts?.availability ?? .unknown {
            case .unknown, .deleted:
                report.remove(item.productID, label: RuleLabel.filteredDeleted)
            case .outOfStock:
                report.remove(item.productID, label: RuleLabel.filteredStock)
            case .available:
                kept.append(item)
            }
        }
        items = kept
    }
}
