import Domain
import Foundation

/// An event read from an import file, with its idempotency key.
public struct ImportedEvent: Sendable, Hashable {
    public var interaction: Interaction
    public var eventKey: String
    /// Whether the file gave a value; when not, purchases are valued at quantity × catalog price.
    public var hasValue: Bool
}

/// Turns event rows into interactions. Accepts the Online Retail II CSV
/// (`customer_id,product_id,event,quantity,timestamp,basket_id`) and NDJSON objects with
/// `user_id` (or `customer_id`), `product_id`, `event` (or `type`), `timestamp` (or
/// `occurred_at`), and optionally `quantity`, `value`, `basket_id`, `request_id`, `event_id`.
public enum EventRecordParser {
    /// - Throws: `ImportRowError` naming the line and field: missing ids, an unknown event type,
    ///   a bad number or timestamp, a quantity below 1.
    public static func event(from record: ImportRecord) throws(ImportRowError) -> ImportedEvent {
        let user = try record.required(["user_id", "customer_id"])
        let product = try record.required(["product_id"])
        let typeText = try record.required(["event", "type"])
        guard let type = InteractionType(rawValue: typeText.lowercased()) else {
            throw ImportRowError(
                line: record.line, field: "event",
                reason: "is not one of " + InteractionType.allCases.map(\.rawValue).joined(separator: ", "))
        }
        let quantity = try record.int(["quantity"]) ?? 1
        guard quantity >= 1 else { throw ImportRowError(line: record.line, field: "quantity", reason: "is below 1") }
        let value = try record.double(["value"])
        if let value, value < 0 { throw ImportRowError(line: record.line, field: "value", reason: "is negative") }
        let timeText = try record.required(["timestamp", "occurred_at", "time"])
        guard let occurredAt = ImportTimestamp.parse(timeText) else {
            throw ImportRowError(line: record.line, field: "timestamp", reason: "is not a timestamp")
        }
        let basket = record.value(["basket_id", "order_id", "invoice"])
        let request = record.value(["request_id"])
        let key =
            record.value(["event_id"])
            ?? EventKey.make(fields: [
                user, product, type.rawValue, String(occurredAt.timeIntervalSince1970), String(quantity),
                value.map { String($0) } ?? "", basket ?? "", request ?? "",
            ])
        return ImportedEvent(
            interaction: Interaction(
                userID: user, productID: product, type: type, quantity: quantity, value: value ?? 0,
                requestID: request, basketID: basket, occurredAt: occurredAt),
            eventKey: key,
            hasValue: value != nil
        )
    }
}

/// Customers (`customer_id,country`): the `users` table.
public enum CustomerRecordParser {
    public static func customer(from record: ImportRecord) throws(ImportRowError) -> (id: UserID, country: String) {
        (try record.required(["customer_id", "user_id", "id"]), record.value(["country"]) ?? "")
    }
}
