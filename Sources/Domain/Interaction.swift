import Foundation

/// The kinds of user events the service accepts. Raw values are the wire names.
public enum InteractionType: String, Sendable, Hashable, Codable, CaseIterable {
    case view
    case cartAdd = "cart_add"
    case cartRemove = "cart_remove"
    case wishlistAdd = "wishlist_add"
    case purchase
    case recommendationClick = "recommendation_click"
    /// A recommended item was on screen (reported by `widget.js` once the strip is visible).
    /// Measurement only: it feeds the experiment tables (viewed strips, CTR on what was seen),
    /// never the shopper's history, preference vector, co-purchase or popularity — seeing an item
    /// the service chose says nothing about what the shopper wants, and counting it would make
    /// every recommendation recommend itself.
    case recommendationImpression = "recommendation_impression"

    /// Weight of one event in the user's preference vector (issue #3).
    public var preferenceWeight: Float {
        switch self {
        case .purchase: return 5
        case .cartAdd: return 3
        case .wishlistAdd: return 2
        case .recommendationClick: return 1.5
        case .view: return 1
        case .cartRemove: return -1
        case .recommendationImpression: return 0
        }
    }

    /// Whether the event says something about the shopper's taste and so enters their history,
    /// the live indexes and the event stream. Impressions do not (see `recommendationImpression`).
    public var isShopperSignal: Bool { self != .recommendationImpression }

    /// Events that belong to a recommendation response and are meaningless without its `request_id`.
    public var requiresRequestID: Bool { self == .recommendationClick || self == .recommendationImpression }
}

/// One user event on one product.
public struct Interaction: Sendable, Hashable, Codable {
    public var userID: UserID
    public var productID: ProductID
    public var type: InteractionType
    public var quantity: Int
    /// Monetary value (purchases); 0 otherwise.
    public var value: Double
    /// The recommendation response this event came from, for attribution.
    public var requestID: String?
    /// Groups purchases of one order (basket / invoice).
    public var basketID: String?
    public var occurredAt: Date

    public init(
        userID: UserID,
        productID: ProductID,
        type: InteractionType,
        quantity: Int = 1,
        value: Double = 0,
        requestID: String? = nil,
        basketID: String? = nil,
        occurredAt: Date
    ) {
        self.userID = userID
        self.productID = productID
        self.type = type
        self.quantity = quantity
        self.value = value
        self.requestID = requestID
        self.basketID = basketID
        self.occurredAt = occurredAt
    }
}

extension Interaction {
    /// The idempotency key of an event that carries its sender's `event_id`, the same whether it
    /// came through `POST /v1/events` or an import file: an event sent live and later backfilled
    /// from a file is stored once. (Events without one get a server key, `srv:…`, through the API
    /// and a hash of their content through import.)
    public static func eventKey(clientEventID: String) -> String {
        "client:" + clientEventID
    }
}
