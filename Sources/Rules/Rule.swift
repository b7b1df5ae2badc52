import Foundation
import Domain

/// What the business rules may consult besides the list itself.
public struct RuleContext: Sendable {
    public var shopper: ShopperContext
    public var catalog: any ProductCatalog
    /// Products the shop never wants shown in this request.
    public var blockList: Set<ProductID>
    /// Items to pin at fixed positions (0-based) after all other rules.
    public var pinned: [Int: ProductID]
    /// Popular products for refilling, best first: same-category lists, then global.
    public var fill: any FillSource
    /// Product embeddings for the MMR rule (`RuleOptions.mmrLambda`); `nil` turns MMR off.
    public var embeddings: (any ProductEmbeddingLookup)?

    public init(
        shopper: ShopperContext,
        catalog: any ProductCatalog,
        blockList: Set<ProductID> = [],
        pinned: [Int: ProductID] = [:],
        fillByCategory: [String: [ProductID]] = [:],
        fillGlobal: [ProductID] = [],
        embeddings: (any ProductEmbeddingLookup)? = nil
    ) {
        self.init(
            shopper: shopper, catalog: catalog, blockList: blockList, pinned: pinned,
            fill: StaticFillSource(byCategory: fillByCategory, global: fillGlobal), embeddings: embeddings)
    }

    public init(
        shopper: ShopperContext,
        catalog: any ProductCatalog,
        blockList: Set<ProductID> = [],
        pinned: [Int: ProductID] = [:],
        fill: any FillSource,
        embeddings: (any ProductEmbeddingLookup)? = nil
    ) {
        self.shopper = shopper
        self.catalog = catalog
        self.blockList = blockList
        self.pinned = pinned
        self.fill = fill
        self.embeddings = embeddings
    }
}

extension RuleContext {
    /// Gives every item its `facts` from this context's catalog: those without them are looked up
    /// in one batch (`ProductCatalog.facts(of:)`); an unknown product keeps `nil`.
    /// - Complexity: O(n); no look-up when every item already carries its facts.
    public func attachFacts(to items: inout [ScoredItem]) {
        var missing: [Int] = []
        for index in items.indices where items[index].facts == nil { missing.append(index) }
        guard !missing.isEmpty else { return }
        let found = catalog.facts(of: missing.map { items[$0].productID })
        for (index, facts) in zip(missing, found) { items[index].facts = facts }
    }

    /// The anchor product's category (product pages), `nil` without an anchor or a category.
    public var anchorCategory: String? {
        guard let anchor = shopper.request.anchorProductID, let category = catalog.facts(anchor)?.category,
            !category.isEmpty
        else { return nil }
        return category
    }

    /// One item's facts: its own, else the catalog's.
    public func facts(for item: ScoredItem) -> ProductFacts? {
        item.facts ?? catalog.facts(item.productID)
    }
}

/// Stage 4: one business rule. Rules run in a fixed order (stock, exclusions, boosts, diversity,
/// fill, pins) and record what they did: on the items they keep in `ScoredItem.rulesFired`
/// (for explain), and the items they drop in the `RuleReport` (a dropped item has no place left
/// to carry its label).
public protocol Rule: Sendable {
    /// Short stable name, used in `rulesFired` labels and reports ("stock", "promotion", ...).
    var name: String { get }
    func apply(to items: inout [ScoredItem], context: RuleContext, report: inout RuleReport)
}

extension Rule {
    /// Applies the rule and discards the report of removed items.
    public func apply(to items: inout [ScoredItem], context: RuleContext) {
        var report = RuleReport()
        apply(to: &items, context: context, report: &report)
    }
}
