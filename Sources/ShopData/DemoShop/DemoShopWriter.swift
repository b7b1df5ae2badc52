import Domain
import Foundation
import Support

/// Writes a generated demo shop as the NDJSON files `hybridrank import` reads:
/// `products.ndjson` (`product_id, name, description, category, price, currency, stock_quantity,
/// in_stock, promoted, created_at`) and `events.ndjson` (`user_id, product_id, event, quantity,
/// value, timestamp, basket_id`), in time order.
public struct DemoShopWriter: Sendable {
    public static let productsFileName = "products.ndjson"
    public static let eventsFileName = "events.ndjson"

    public let generator: DemoShopGenerator

    public init(configuration: DemoShopConfiguration) {
        self.generator = DemoShopGenerator(configuration: configuration)
    }

    /// Generates the shop into `directory` (created if missing; existing files are replaced).
    public func write(to directory: URL) throws -> DemoShopSummary {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let catalog = generator.makeCatalog()

        let productsOutput = try BufferedFileOutput(url: directory.appendingPathComponent(Self.productsFileName))
        var json = JSONByteWriter(capacity: BufferedFileOutput.chunk + 4096)
        for product in catalog.products {
            Self.encode(product, into: &json)
            try productsOutput.writeIfFull(&json)
        }
        try productsOutput.finish(&json)

        let eventsOutput = try BufferedFileOutput(url: directory.appendingPathComponent(Self.eventsFileName))
        let summary = try generator.generateEvents(catalog: catalog) { event in
            Self.encode(event, into: &json)
            try eventsOutput.writeIfFull(&json)
        }
        try eventsOutput.finish(&json)
        return summary
    }

    static func encode(_ product: Product, into json: inout JSONByteWriter) {
        json.beginObject()
        json.field("product_id", product.id)
        json.field("name", product.name)
        json.field("description", product.description)
        json.field("category", product.category)
        json.field("price", product.price, fractionDigits: 2)
        json.field("currency", product.currency)
        if let stock = product.stockQuantity { json.field("stock_quantity", stock) } else { json.nullField("stock_quantity") }
        json.field("in_stock", product.inStock)
        json.field("promoted", product.promoted)
        json.field("created_at", product.createdAt)
        json.endObject()
        json.endLine()
    }

    static func encode(_ event: Interaction, into json: inout JSONByteWriter) {
        json.beginObject()
        json.field("user_id", event.userID)
        json.field("product_id", event.productID)
        json.field("event", event.type.rawValue)
        json.field("quantity", event.quantity)
        if event.type == .purchase { json.field("value", event.value, fractionDigits: 2) } else { json.nullField("value") }
        json.field("timestamp", event.occurredAt)
        if let basket = event.basketID { json.field("basket_id", basket) } else { json.nullField("basket_id") }
        json.endObject()
        json.endLine()
    }
}
