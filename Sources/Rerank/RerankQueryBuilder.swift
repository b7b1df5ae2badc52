import Domain
import Foundation

/// Builds the cross-encoder's query text from the shopper's context, per the model's input
/// contract (`retail-reranker/README.md`): the names of the user's most recent distinct purchased
/// products, up to 5, most recent first, joined with " ; ".
///
/// The contract does not cover shoppers without purchases. For them, in this order:
/// 1. the most recent distinct products the user viewed, carted or wishlisted (up to 5, most
///    recent first) — the closest thing to purchase intent we have;
/// 2. the request's anchor product, then the cart items (most recent first);
/// 3. the search text of a search request.
/// With none of these the query is empty and the list is not reranked (a query-less
/// cross-encoder score carries no information about this shopper).
public struct RerankQueryBuilder: Sendable {
    public let catalog: any ProductCatalog
    /// Products named in the query (the contract says 5).
    public var maxProducts: Int

    public init(catalog: any ProductCatalog, maxProducts: Int = 5) {
        self.catalog = catalog
        self.maxProducts = maxProducts
    }

    /// Where a query came from (reported in explain notes).
    public enum Source: String, Sendable, Hashable, Codable {
        case purchases, browsing, anchorAndCart = "anchor_and_cart", searchText = "search_text", none
    }

    public func query(for context: ShopperContext) -> (text: String, source: Source) {
        let purchases = names(context.recentPurchasedProductIDs(limit: maxProducts))
        if !purchases.isEmpty { return (purchases.joined(separator: " ; "), .purchases) }

        let browsing = names(browsed(in: context.history))
        if !browsing.isEmpty { return (browsing.joined(separator: " ; "), .browsing) }

        var contextual: [ProductID] = []
        if let anchor = context.request.anchorProductID { contextual.append(anchor) }
        for item in context.request.cartItems.reversed() where !contextual.contains(item) { contextual.append(item) }
        let anchorNames = names(Array(contextual.prefix(maxProducts)))
        if !anchorNames.isEmpty { return (anchorNames.joined(separator: " ; "), .anchorAndCart) }

        if let text = context.request.queryText?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty {
            return (text, .searchText)
        }
        return ("", .none)
    }

    /// Whether `newest` — the newest events of a possibly longer history, newest first — already
    /// fixes the query's history part: `query(for:)` gives the same text and source whatever older
    /// events follow. True once `maxProducts` distinct products were purchased in it and at least
    /// one of them has a name; or, when none has, once `maxProducts` distinct products were also
    /// browsed in it. (An older purchase would change a shorter purchase list; an older purchase
    /// outranks any browsing.) A history known to be whole needs no such test.
    ///
    /// The service reads only the newest events for widgets whose other stages ignore the history
    /// (product page, frequently bought together) and the rest only when this says no: on a shop
    /// whose buyers have long histories that is a handful of events instead of 200
    /// (docs/benchmarks/service.md).
    public func isDecided(byNewest newest: [Interaction]) -> Bool {
        let purchased = ShopperContext.recentPurchasedProductIDs(in: newest, limit: maxProducts)
        guard purchased.count == maxProducts else { return false }
        return !names(purchased).isEmpty || browsed(in: newest).count == maxProducts
    }

    /// The most recent distinct products viewed, carted, wishlisted or clicked, up to
    /// `maxProducts`, most recent first.
    private func browsed(in history: [Interaction]) -> [ProductID] {
        var seen = Set<ProductID>()
        var browsed: [ProductID] = []
        for event in history where Self.browsingEvents.contains(event.type) {
            guard seen.insert(event.productID).inserted else { continue }
            browsed.append(event.productID)
            if browsed.count == maxProducts { break }
        }
        return browsed
    }

    private static let browsingEvents: Set<InteractionType> = [.view, .cartAdd, .wishlistAdd, .recommendationClick]

    private func names(_ ids: [ProductID]) -> [String] {
        ids.compactMap { id in
            guard let name = catalog.product(id)?.name, !name.isEmpty else { return nil }
            return name
        }
    }
}
