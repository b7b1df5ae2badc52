import Domain
import Rerank
import Rules

/// What one widget request reads of the shopper's hot state in Redis; the rest is not fetched.
/// On a shop whose buyers have long histories, a product page used to read and decode 200 events
/// of which only the newest handful reached its result (BENCHMARKS.md, "Service").
///
/// Who reads what (keep in step with the stages):
/// - the history: the homepage's preference vector and co-purchase seeds, and the cart's repeat
///   purchases, read all of it; the rerank query (any widget with a rerank window) reads only its
///   newest events, until `Reranker.isHistoryDecided(byNewest:)`; nothing else does;
/// - the purchased set: the exclusion rule, when `excludePurchased` is on; the history also when
///   recent purchases are excluded (`excludeRecentPurchasesDays`, the cart and FBT defaults);
/// - the cart: the cart widget, unless the request lists its items.
///
/// A shopper Redis does not know is loaded whole from PostgreSQL whatever the needs (that path
/// also warms Redis).
public struct ShopperStateNeeds: Sendable {
    public enum History: Sendable {
        case none
        case whole
        /// The newest `first` events, then the whole history unless `isDecided` says they suffice.
        case newest(first: Int, isDecided: @Sendable ([Interaction]) -> Bool)
    }

    public var history: History
    public var purchased: Bool
    public var cart: Bool

    public init(history: History, purchased: Bool, cart: Bool) {
        self.history = history
        self.purchased = purchased
        self.cart = cart
    }

    /// Everything the store holds.
    public static let everything = ShopperStateNeeds(history: .whole, purchased: true, cart: true)

    /// How many events to read first when only the rerank query needs the history. On the demo
    /// shop's product pages 32 leaves 1 request in 10 for a second read (shoppers who mostly
    /// browse); on the Online Retail import, where every event is a purchase, none.
    public static let newestEventsFirstRead = 32

    /// The needs of one widget request under its (variant's) options.
    public static func of(
        widget: Widget, options: PipelineOptions, explicitCart: Bool, reranker: (any Reranker)?
    ) -> ShopperStateNeeds {
        let history: History
        switch widget {
        case .homepage, .cart:
            history = .whole
        case .product, .frequentlyBoughtTogether, .search:
            if options.rules.excludeRecentPurchasesDays > 0 {
                history = .whole
            } else if let reranker, options.rerank.window > 0 {
                history = .newest(first: newestEventsFirstRead, isDecided: { reranker.isHistoryDecided(byNewest: $0) })
            } else {
                history = .none
            }
        }
        return ShopperStateNeeds(
            history: history, purchased: options.rules.excludePurchased, cart: widget == .cart && !explicitCart)
    }
}
