import Foundation

/// Product identifiers are strings: real catalogs use stock codes such as `47590A`.
public typealias ProductID = String
/// User (customer) identifiers are opaque strings.
public typealias UserID = String

/// A catalog entry as the ranking stages see it.
///
/// `deletedAt != nil` or `inStock == false` means the product must never be served
/// (the stock rule checks this at serve time).
public struct Product: Sendable, Hashable, Codable {
    public var id: ProductID
    public var name: String
    public var description: String
    /// Empty when the catalog has no categories (e.g. Online Retail II).
    public var category: String
    public var price: Double
    public var currency: String
    /// `nil` when the shop does not track quantities; then `inStock` alone decides.
    public var stockQuantity: Int?
    public var inStock: Bool
    public var promoted: Bool
    public var createdAt: Date
    public var updatedAt: Date
    public var deletedAt: Date?

    public init(
        id: ProductID,
        name: String,
        description: String = "",
        category: String = "",
        price: Double = 0,
        currency: String = "GBP",
        stockQuantity: Int? = nil,
        inStock: Bool = true,
        promoted: Bool = false,
        createdAt: Date = Date(timeIntervalSince1970: 0),
        updatedAt: Date = Date(timeIntervalSince1970: 0),
        deletedAt: Date? = nil
    ) {
        self.id = id
        self.name = name
        self.description = description
        self.category = category
        self.price = price
        self.currency = currency
        self.stockQuantity = stockQuantity
        self.inStock = inStock
        self.promoted = promoted
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.deletedAt = deletedAt
    }

    /// Whether the product may be shown at all: not deleted and in stock.
    public var isAvailable: Bool {
        deletedAt == nil && inStock && (stockQuantity.map { $0 > 0 } ?? true)
    }

    /// The text the bi-encoder embeds for content retrieval.
    public var embeddingText: String {
        var text = name
        if !category.isEmpty { text += " | " + category }
        if !description.isEmpty { text += ". " + description }
        return text
    }

    /// The document text of the cross-encoder's input contract: name, plus " | category" when known.
    public var rerankDocument: String {
        category.isEmpty ? name : name + " | " + category
    }
}
