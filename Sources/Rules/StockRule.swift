import Domain

/// Drops products that are deleted, out of stock or unknown to the live catalog.
///
/// Reads `RuleContext.catalog` at serve time (the server's `LiveCatalog`, updated in the same
/// call that writes PostgreSQL), never a cached copy, so a product leaves every widget at once.
/// Also drops repeated product ids (keeping the first), so later rules see each product once.
/// - Complexity: O(n) catalog look-ups.
public struct StockRule: Rule {
    public let name = "stock"

    public init() {}

    public func apply(to items: inout [ScoredItem], context: RuleContext, report: inout RuleReport) {
        var seen = Set<ProductID>()
        seen.reserveCapacity(items.count)
        items.removeAll { item in
            guard seen.insert(item.productID).inserted else {
                report.remove(item.productID, label: RuleLabel.filteredDuplicate)
                return true
            }
            guard let product = context.catalog.product(item.productID), product.deletedAt == nil else {
                report.remove(item.productID, label: RuleLabel.filteredDeleted)
                return true
            }
            guard product.isAvailable else {
                report.remove(item.productID, label: RuleLabel.filteredStock)
                return true
            }
            return false
        }
    }
}
