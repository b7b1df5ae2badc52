import Domain

/// Drops products that are deleted, out of stock or unknown to the live catalog. A search that
/// asks for sold-out products too (`in_stock=false`, `ProductFilter.inStockOnly == false`) keeps
/// the out-of-stock ones; deleted and unknown products are always dropped. A request limited to
/// one category (a category landing page, `homepage?category=`) drops the other categories:
/// only the content and popularity sources can filter while they search.
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
        context.attachFacts(to: &items)
        var seen = ProductSlotMap(capacity: items.count)
        let request = context.shopper.request
        let keepsSoldOut = request.widget == .search && !request.filter.inStockOnly
        let category = request.filter.category
        let currency = request.filter.currency
        // In place: the kept items move, none is copied.
        items.removeAll { item in
            guard seen.slot(for: item.productID).inserted else {
                report.remove(item.productID, label: RuleLabel.filteredDuplicate)
                return true
            }
            if let category, let facts = item.facts, facts.category != category {
                report.remove(item.productID, label: RuleLabel.filteredCategory)
                return true
            }
            if let currency, let product = context.catalog.product(item.productID), product.currency != currency {
                report.remove(item.productID, label: RuleLabel.filteredCurrency)
                return true
            }
            switch item.facts?.availability ?? .unknown {
            case .unknown, .deleted:
                report.remove(item.productID, label: RuleLabel.filteredDeleted)
                return true
            case .outOfStock:
                if keepsSoldOut { return false }
                report.remove(item.productID, label: RuleLabel.filteredStock)
                return true
            case .available:
                return false
            }
        }
    }
}
