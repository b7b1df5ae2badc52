import Domain
import Foundation

/// Turns catalog rows into products. Accepts the Online Retail II CSV
/// (`product_id,name,unit_price,category`) and NDJSON objects with `product_id` (or `id`),
/// `name`, `price` (or `unit_price`), and optionally `description`, `category`, `currency`,
/// `stock_quantity`, `in_stock`, `promoted`, `created_at`, `updated_at`.
public enum CatalogRecordParser {
    /// - Throws: `ImportRowError` naming the line and field: missing id or name, a price that is
    ///   not a non-negative number, a bad integer, boolean or timestamp.
    public static func product(from record: ImportRecord, now: Date) throws(ImportRowError) -> Product {
        let id = try record.required(["product_id", "id", "sku"])
        let name = try record.required(["name", "title"])
        let price = try record.double(["price", "unit_price"]) ?? 0
        guard price >= 0 else { throw ImportRowError(line: record.line, field: "price", reason: "is negative") }
        let stock = try record.int(["stock_quantity", "stock"])
        if let stock, stock < 0 {
            throw ImportRowError(line: record.line, field: "stock_quantity", reason: "is negative")
        }
        let inStock = try record.bool(["in_stock"]) ?? (stock.map { $0 > 0 } ?? true)
        let currency = record.value(["currency"]) ?? "GBP"
        guard currency.utf8.count <= 8 else {
            throw ImportRowError(line: record.line, field: "currency", reason: "is not a currency code")
        }
        let createdAt = try timestamp(record, ["created_at"]) ?? now
        let updatedAt = try timestamp(record, ["updated_at"]) ?? createdAt
        return Product(
            id: id,
            name: name,
            description: record.value(["description"]) ?? "",
            category: record.value(["category"]) ?? "",
            price: price,
            currency: currency,
            stockQuantity: stock,
            inStock: inStock,
            promoted: try record.bool(["promoted"]) ?? false,
            createdAt: createdAt,
            updatedAt: updatedAt
        )
    }

    static func timestamp(_ record: ImportRecord, _ names: [String]) throws(ImportRowError) -> Date? {
        guard let text = record.value(names) else { return nil }
        guard let date = ImportTimestamp.parse(text) else {
            throw ImportRowError(line: record.line, field: names[0], reason: "is not a timestamp")
        }
        return date
    }
}
