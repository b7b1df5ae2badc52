import Domain
import Engine
import Foundation

/// A product as shops send it (`PUT /v1/products/{id}`, `POST /v1/products:batch`).
/// `PATCH` sends the same shape with every field optional.
public struct ProductInput: Codable, Sendable {
    public var productID: String?
    public var name: String?
    public var description: String?
    public var category: String?
    public var price: Double?
    public var currency: String?
    public var stockQuantity: Int?
    public var inStock: Bool?
    public var promoted: Bool?
    public var createdAt: Date?

    enum CodingKeys: String, CodingKey {
        case productID = "product_id", name, description, category, price, currency
        case stockQuantity = "stock_quantity", inStock = "in_stock", promoted, createdAt = "created_at"
    }

    /// Validates a full product (PUT / batch) against `bounds` and returns it; errors name the
    /// field, prefixed with `prefix` for batch items (`products[3].price`).
    ///
    /// Without a `created_at` the product keeps `storedCreatedAt`, the arrival time of the product
    /// already in the catalog (a shop re-sending its catalog must not make every product a new
    /// arrival again, as an import does not), else arrives `now`.
    public func validated(
        id: String, now: Date, prefix: String = "", bounds: InputBounds = InputBounds(), storedCreatedAt: Date? = nil
    ) throws -> Product {
        try bounds.checkID(id, field: prefix + "product_id")
        guard let name, !name.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw APIError.missing(prefix + "name")
        }
        try bounds.checkText(name, field: prefix + "name", maximumCharacters: bounds.maximumNameCharacters)
        if let description {
            try bounds.checkText(
                description, field: prefix + "description", maximumCharacters: bounds.maximumDescriptionCharacters)
        }
        if let category {
            try bounds.checkText(category, field: prefix + "category", maximumCharacters: bounds.maximumCategoryCharacters)
        }
        let price = self.price ?? 0
        guard price.isFinite, price >= 0 else { throw APIError.invalid(prefix + "price", "price must be a non-negative number") }
        if let stockQuantity {
            try bounds.checkInteger(stockQuantity, in: bounds.stockQuantity, field: prefix + "stock_quantity")
        }
        let code = try currency.map {
            guard let code = CurrencyCode.normalized($0) else {
                throw APIError.invalid(prefix + "currency", "currency must be a 3-letter ISO 4217 code")
            }
            return code
        } ?? "GBP"
        if let createdAt { try bounds.checkTimestamp(createdAt, field: prefix + "created_at") }
        let inStock = self.inStock ?? (stockQuantity.map { $0 > 0 } ?? true)
        return Product(
            id: id, name: name, description: description ?? "", category: category ?? "", price: price,
            currency: code, stockQuantity: stockQuantity, inStock: inStock,
            promoted: promoted ?? false, createdAt: createdAt ?? storedCreatedAt ?? now, updatedAt: now, deletedAt: nil)
    }

    /// Applies the fields present to an existing product (PATCH), then validates the result.
    public func applied(to product: Product, now: Date, bounds: InputBounds = InputBounds()) throws -> Product {
        var merged = ProductInput(
            productID: product.id, name: name ?? product.name, description: description ?? product.description,
            category: category ?? product.category, price: price ?? product.price,
            currency: currency ?? product.currency, stockQuantity: stockQuantity ?? product.stockQuantity,
            inStock: inStock, promoted: promoted ?? product.promoted, createdAt: createdAt)
        if merged.inStock == nil, stockQuantity == nil { merged.inStock = product.inStock }
        // Only a sent `created_at` is checked: a stored one (an import's) stays as it is.
        return try merged.validated(id: product.id, now: now, bounds: bounds, storedCreatedAt: product.createdAt)
    }

    /// The id rule of every product and user id the API accepts (`InputBounds.isValidID` with
    /// the default bounds): 1–256 characters (code points), no whitespace, no control characters.
    static func isValidID(_ id: String) -> Bool {
        InputBounds().isValidID(id)
    }
}

/// What product routes answer with: the stored product under the API's field names. It holds the
/// `Product` itself rather than a copy of its fields, so the two cannot drift apart; a deleted
/// product is never answered, so `deleted_at` is not among them.
public struct ProductOutput: Encodable, Sendable {
    public var product: Product

    enum CodingKeys: String, CodingKey {
        case productID = "product_id", name, description, category, price, currency
        case stockQuantity = "stock_quantity", inStock = "in_stock", promoted
        case createdAt = "created_at", updatedAt = "updated_at"
    }

    public init(_ product: Product) {
        self.product = product
    }

    public func encode(to encoder: any Encoder) throws {
        var fields = encoder.container(keyedBy: CodingKeys.self)
        try fields.encode(product.id, forKey: .productID)
        try fields.encode(product.name, forKey: .name)
        try fields.encode(product.description, forKey: .description)
        try fields.encode(product.category, forKey: .category)
        try fields.encode(product.price, forKey: .price)
        try fields.encode(product.currency, forKey: .currency)
        try fields.encodeIfPresent(product.stockQuantity, forKey: .stockQuantity)
        try fields.encode(product.inStock, forKey: .inStock)
        try fields.encode(product.promoted, forKey: .promoted)
        try fields.encode(product.createdAt, forKey: .createdAt)
        try fields.encode(product.updatedAt, forKey: .updatedAt)
    }
}
