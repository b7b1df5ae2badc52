import Domain
import Foundation
import Rules

/// Hand-made catalogs and lists for the rule tests.
public enum RulesFixture {
    public static let now = Date(timeIntervalSince1970: 1_750_000_000)

    public static func product(
        _ id: String,
        category: String = "",
        inStock: Bool = true,
        stock: Int? = nil,
        promoted: Bool = false,
        ageDays: Double = 365,
        deleted: Bool = false
    ) -> Product {
        Product(
            id: id,
            name: "Product \(id)",
            category: category,
            price: 10,
            stockQuantity: stock,
            inStock: inStock,
            promoted: promoted,
            createdAt: now.addingTimeInterval(-ageDays * 86_400),
            deletedAt: deleted ? now : nil
        )
    }

    /// Items in the given order with strictly decreasing `final` = `blended` (1.0, 0.9, ...).
    public static func items(_ ids: [String], top: Float = 1.0, step: Float = 0.1) -> [ScoredItem] {
        ids.enumerated().map { index, id in
            var item = ScoredItem(productID: id)
            item.blended = top - Float(index) * step
            item.final = item.blended
            return item
        }
    }

    public static func context(
        _ products: [Product],
        request: RecommendationRequest = RecommendationRequest(widget: .homepage, userID: "u1", limit: 10),
        purchased: Set<ProductID> = [],
        blockList: Set<ProductID> = [],
        pinned: [Int: ProductID] = [:],
        fillByCategory: [String: [ProductID]] = [:],
        fillGlobal: [ProductID] = [],
        embeddings: [ProductID: [Float]]? = nil
    ) -> RuleContext {
        RuleContext(
            shopper: ShopperContext(request: request, purchased: purchased, now: now),
            catalog: StaticProductCatalog(products),
            blockList: blockList,
            pinned: pinned,
            fillByCategory: fillByCategory,
            fillGlobal: fillGlobal,
            embeddings: embeddings.map(StaticEmbeddingLookup.init)
        )
    }
}

/// A fill source that records which lists the fill rule asked for.
public final class RecordingFillSource: FillSource, @unchecked Sendable {
    // @unchecked: the rule tests call it from one task; `asked` is read after the rule returns.
    public let lists: StaticFillSource
    public private(set) var asked: [String] = []

    public init(byCategory: [String: [ProductID]], global: [ProductID]) {
        lists = StaticFillSource(byCategory: byCategory, global: global)
    }

    public func popular(inCategory category: String) -> [ProductID] {
        asked.append("category:\(category)")
        return lists.popular(inCategory: category)
    }

    public func popularGlobal() -> [ProductID] {
        asked.append("global")
        return lists.popularGlobal()
    }
}
