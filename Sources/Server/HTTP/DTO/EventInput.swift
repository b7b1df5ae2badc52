import Domain
import Engine
import Foundation

/// One event as shops send it to `POST /v1/events` (a single object, an array, or `{"events": [...]}`).
public struct EventInput: Codable, Sendable {
    public var userID: String?
    public var productID: String?
    public var event: String?
    public var quantity: Int?
    public var value: Double?
    public var requestID: String?
    public var basketID: String?
    public var timestamp: Date?
    /// Optional client-side idempotency key; retries with the same key are stored once.
    public var eventID: String?

    enum CodingKeys: String, CodingKey {
        case userID = "user_id", productID = "product_id", event, quantity, value
        case requestID = "request_id", basketID = "basket_id", timestamp, eventID = "event_id"
    }

    /// Validates the event against `bounds`; errors name the field, prefixed for batches
    /// (`events[2].event`).
    ///
    /// A purchase sent without `value` is valued at quantity × `catalogPrice` of its product, as
    /// `hybridrank import` values one (0 for a product the catalog does not hold): the experiments'
    /// revenue sums `value`, and must not depend on which way a purchase arrived.
    public func validated(
        now: Date, prefix: String = "", bounds: InputBounds = InputBounds(), catalogPrice: (ProductID) -> Double? = { _ in nil }
    ) throws -> Interaction {
        guard let userID, !userID.isEmpty else { throw APIError.missing(prefix + "user_id") }
        try bounds.checkID(userID, field: prefix + "user_id")
        guard let productID, !productID.isEmpty else { throw APIError.missing(prefix + "product_id") }
        try bounds.checkID(productID, field: prefix + "product_id")
        guard let event else { throw APIError.missing(prefix + "event") }
        guard let type = InteractionType(rawValue: event) else {
            let allowed = InteractionType.allCases.map(\.rawValue).joined(separator: ", ")
            throw APIError.invalid(prefix + "event", "event must be one of \(allowed)")
        }
        let quantity = self.quantity ?? 1
        try bounds.checkInteger(quantity, in: bounds.eventQuantity, field: prefix + "quantity")
        if let value = self.value, !(value.isFinite && value >= 0) {
            throw APIError.invalid(prefix + "value", "value must be a non-negative number")
        }
        if type.requiresRequestID, requestID == nil {
            throw APIError.missing(prefix + "request_id")
        }
        if let requestID { try bounds.checkID(requestID, field: prefix + "request_id") }
        if let basketID { try bounds.checkID(basketID, field: prefix + "basket_id") }
        if let eventID { try bounds.checkID(eventID, field: prefix + "event_id") }
        let occurredAt = timestamp ?? now
        if occurredAt > now.addingTimeInterval(bounds.eventFutureTolerance) {
            throw APIError.invalid(prefix + "timestamp", "timestamp must not be in the future")
        }
        try bounds.checkTimestamp(occurredAt, field: prefix + "timestamp")
        let value = self.value ?? (type == .purchase ? catalogPrice(productID).map { Double(quantity) * $0 } ?? 0 : 0)
        return Interaction(
            userID: userID, productID: productID, type: type, quantity: quantity, value: value,
            requestID: requestID, basketID: basketID, occurredAt: occurredAt)
    }
}
