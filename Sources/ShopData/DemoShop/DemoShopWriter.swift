import Domain
import Foundation

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
        var line = NDJSONLineBuilder()
        for product in catalog.products {
            Self.encode(product, into: &line)
            try productsOutput.writeIfFull(&line)
        }
        try productsOutput.finish(&line)

        let eventsOutput = try BufferedFileOutput(url: directory.appendingPathComponent(Self.eventsFileName))
        let summary = try generator.generateEvents(catalog: catalog) { event in
            Self.encode(event, into: &line)
            try eventsOutput.writeIfFull(&line)
        }
        try eventsOutput.finish(&line)
        return summary
    }

    static func encode(_ product: Product, into line: inout NDJSONLineBuilder) {
        line.begin()
        line.string("product_id", product.id)
        line.string("name", product.name)
        line.string("description", product.description)
        line.string("category", product.category)
        line.money("price", product.price)
        line.string("currency", product.currency)
        if let stock = product.stockQuantity { line.integer("stock_quantity", stock) } else { line.null("stock_quantity") }
        line.bool("in_stock", product.inStock)
        line.bool("promoted", product.promoted)
        line.timestamp("created_at", product.createdAt)
        line.end()
    }

    static func encode(_ event: Interaction, into line: inout NDJSONLineBuilder) {
        line.begin()
        line.string("user_id", event.userID)
        line.string("product_id", event.productID)
        line.string("event", event.type.rawValue)
        line.integer("quantity", event.quantity)
        if event.type == .purchase { line.money("value", event.value) } else { line.null("value") }
        line.timestamp("timestamp", event.occurredAt)
        if let basket = event.basketID { line.string("basket_id", basket) } else { line.null("basket_id") }
        line.end()
    }
}
