import Domain

/// Drops products that are deleted, out of stock or unknown to the live catalog.
///
/// Reads `RuleContext.catalog` at serve time (the server's `LiveCatalog`, updated in the same
/// call that writes PostgreSQL), never a cached copy, so a product leaves every widget at once.
/// Also drops repeated product ids (keeping the first), so later rules see each product once.
/// - Complexity: O(n): one batched availability look-up (`ProductCatalog.availability(of:)`).
public struct StockRule: Rule {
    public let name = "stock"

    public init() {}

    public func apply(to items: inout [ScoredItem], context: RuleContext, report: inout RuleReport) {
        var seen = Set<ProductID>()
        seen.reserveCapacity(items.count)
        let availability = context.catalog.availability(of: items.map(\.productID))
        var kept: [ScoredItem] = []
        kept.reserveCapacity(items.count)
        for (item, state) in zip(items, availability) {
            guard seen.insert(item.productID).inserted else {
                report.remove(item.productID, label: RuleLabel.filteredDuplicate)
                continue
            }
            switch state {
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
