import Domain
import Foundation

/// The catalog and purchase history of the Online Retail II files (or any files in that format).
public struct RetailDataset: Sendable {
    public var products: [Product]
    /// Purchases sorted by time, oldest first.
    public var interactions: [Interaction]

    public init(products: [Product], interactions: [Interaction]) {
        self.products = products
        self.interactions = interactions.sorted { $0.occurredAt < $1.occurredAt }
    }

    /// Reads the catalog alone (`product_id,name,unit_price,category`, plain or gzip): for tools
    /// that need the products' texts, not the history.
    public static func loadProducts(catalog: URL) throws -> [Product] {
        let productTable = try CSVTable.read(catalog)
        let id = try productTable.column("product_id")
        let name = try productTable.column("name")
        let price = productTable.header.firstIndex(of: "unit_price")
        let category = productTable.header.firstIndex(of: "category")
        return productTable.rows.map { row in
            Product(
                id: row[id],
                name: row[name],
                category: category.map { row.count > $0 ? row[$0] : "" } ?? "",
                price: price.flatMap { row.count > $0 ? Double(row[$0]) : nil } ?? 0
            )
        }
    }

    /// Reads `product_id,name,unit_price,category` and
    /// `customer_id,product_id,event,quantity,timestamp,basket_id` (plain or gzip).
    public static func load(catalog: URL, events: URL) throws -> RetailDataset {
        let products = try loadProducts(catalog: catalog)
        let eventTable = try CSVTable.read(events)
        let customer = try eventTable.column("customer_id")
        let product = try eventTable.column("product_id")
        let event = try eventTable.column("event")
        let timestamp = try eventTable.column("timestamp")
        let quantity = eventTable.header.firstIndex(of: "quantity")
        let basket = eventTable.header.firstIndex(of: "basket_id")
        var interactions: [Interaction] = []
        interactions.reserveCapacity(eventTable.rows.count)
        for (index, row) in eventTable.rows.enumerated() {
            guard let type = InteractionType(rawValue: row[event]) else { continue }
            guard let time = RetailTimestamp.parse(row[timestamp]) else {
                throw EvaluationError.badValue(column: "timestamp", row: index + 2)
            }
            interactions.append(
                Interaction(
                    userID: row[customer], productID: row[product], type: type,
                    quantity: quantity.flatMap { Int(row[$0]) } ?? 1,
                    basketID: basket.map { row[$0] },
                    occurredAt: time))
        }
        return RetailDataset(products: products, interactions: interactions)
    }
}
