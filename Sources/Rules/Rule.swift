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
    public var fillByCategory: [String: [ProductID]]
    public var fillGlobal: [ProductID]

    public init(
        shopper: ShopperContext,
        catalog: any ProductCatalog,
        blockList: Set<ProductID> = [],
        pinned: [Int: ProductID] = [:],
        fillByCategory: [String: [ProductID]] = [:],
        fillGlobal: [ProductID] = []
    ) {
        self.shopper = shopper
        self.catalog = catalog
        self.blockList = blockList
        self.pinned = pinned
        self.fillByCategory = fillByCategory
        self.fillGlobal = fillGlobal
    }
}

/// Stage 4: one business rule. Rules run in a fixed order (stock, exclusions, boosts, diversity,
/// fill) and record what they did in `ScoredItem.rulesFired` for explain.
public protocol Rule: Sendable {
    var name: String { get }
    func apply(to items: inout [ScoredItem], context: RuleContext)
}
