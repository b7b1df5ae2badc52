import Domain
import Foundation

/// Turns catalog rows into products. Accepts the Online Retail II CSV
/// (`product_id,name,unit_price,category`) and NDJSON objects with `product_id` (or `id`),
/// `name`, `price` (or `unit_price`), and optionally `description`, `category`, `currency`,
/// `stock_quantity`, `in_stock`, `promoted`, `created_at`.
public enum CatalogRecordParser {
    /// - Throws: `ImportRowError` naming the line and field: a missing or malformed id
    ///   (`IdentifierRule`), a missing name, text too long or holding NUL or control characters
    ///   (`TextRule`), a price that is not a non-negative number, a stock
    ///   outside `StoredRanges.stockQuantity`, a currency that is not three letters, a bad boolean,
    ///   a timestamp that does not parse or falls outside `StoredRanges.timestamps` — the rules the
    ///   API holds a product to (`ProductInput`), so a product imports exactly when it could be sent.
    ///   Currencies are stored upper-case, as the API stores them. A file's `updated_at` is not
    ///   read: the import stamps the time it stores a row (the catalog sync reads changes by it).
    public static func product(from record: ImportRecord, now: Date) throws(ImportRowError) -> Product {
        let id = try record.id(["product_id", "id", "sku"])
        guard let name = try record.text(["name", "title"], maximumCharacters: TextRule.maximumNameCharacters) else {
            throw ImportRowError(line: record.line, field: "name", reason: "is missing")
        }
        let price = try record.double(["price", "unit_price"]) ?? 0
        guard price >= 0 else { throw ImportRowError(line: record.line, field: "price", reason: "is negative") }
        let stock = try record.int(["stock_quantity", "stock"], in: StoredRanges.stockQuantity)
        let inStock = try record.bool(["in_stock"]) ?? (stock.map { $0 > 0 } ?? true)
        guard let currency = CurrencyCode.normalized(record.value(["currency"]) ?? "GBP") else {
            throw ImportRowError(line: record.line, field: "currency", reason: "is not a 3-letter ISO 4217 code")
        }
        let createdAt = try record.timestamp(["created_at"]) ?? now
        return Product(
            id: id,
            name: name,
            description: try record.text(["description"], maximumCharacters: TextRule.maximumDescriptionCharacters) ?? "",
            category: try record.text(["category"], maximumCharacters: TextRule.maximumCategoryCharacters) ?? "",
            price: price,
            currency: currency,
            stockQuantity: stock,
            inStock: inStock,
            promoted: try record.bool(["promoted"]) ?? false,
            createdAt: createdAt,
            updatedAt: now
        )
    }
}
