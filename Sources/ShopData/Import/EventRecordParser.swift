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
    /// - Throws: `ImportRowError` naming the line and field: a missing or malformed id
    ///   (`IdentifierRule`), an unknown event type, a bad number, a quantity outside
    ///   `StoredRanges.eventQuantity`, a timestamp that does not parse or falls outside
    ///   `StoredRanges.timestamps` — the API's rules for an event (`EventInput`), so a file row and
    ///   a sent event are stored alike.
    ///
    /// A row's own `event_id` becomes the key `client:<event_id>`, as `POST /v1/events` stores it:
    /// an event sent live and later backfilled from a file is stored once.
    public static func event(from record: ImportRecord) throws(ImportRowError) -> ImportedEvent {
        let user = try record.id(["user_id", "customer_id"])
        let product = try record.id(["product_id"])
        let typeText = try record.required(["event", "type"])
        guard let type = InteractionType(rawValue: typeText.lowercased()) else {
            throw ImportRowError(
                line: record.line, field: "event",
                reason: "is not one of " + InteractionType.allCases.map(\.rawValue).joined(separator: ", "))
        }
        let quantity = try record.int(["quantity"], in: StoredRanges.eventQuantity) ?? 1
        let value = try record.double(["value"])
        if let value, value < 0 { throw ImportRowError(line: record.line, field: "value", reason: "is negative") }
        guard let occurredAt = try record.timestamp(["timestamp", "occurred_at", "time"]) else {
            throw ImportRowError(line: record.line, field: "timestamp", reason: "is missing")
        }
        let basket = try record.optionalID(["basket_id", "order_id", "invoice"])
        let request = try record.optionalID(["request_id"])
        let key =
            try record.optionalID(["event_id"]).map(Interaction.eventKey(clientEventID:))
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
        (try record.id(["customer_id", "user_id", "id"]),
         try record.text(["country"], maximumCharacters: TextRule.maximumCategoryCharacters) ?? "")
    }
}
