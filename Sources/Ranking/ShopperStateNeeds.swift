import Domain
import Rerank
import Rules

/// What one widget request reads of the shopper's hot state in Redis; the rest is not fetched.
/// On a shop whose buyers have long histories, a product page would otherwise read and decode
/// hundreds of events of which only the newest handful reach its result.
///
/// Each widget's needs are its `WidgetProfile.stateNeeds(options:explicitCart:reranker:)`.
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

    /// Everything the store holds.
    public static let everything = ShopperStateNeeds(history: .whole, purchased: true, cart: true)

    /// How many events to read first when only the rerank query needs the history. On the demo
    /// shop's product pages 32 leaves 1 request in 10 for a second read (shoppers who mostly
    /// browse); on the Online Retail import, where every event is a purchase, none.
    public static let newestEventsFirstRead = 32

    /// The needs of one widget request under its (variant's) options (`WidgetProfile.stateNeeds`).
    public static func of(
        widget: Widget, options: PipelineOptions, explicitCart: Bool, reranker: (any Reranker)?
    ) -> ShopperStateNeeds {
        WidgetProfile.of(widget).stateNeeds(options: options, explicitCart: explicitCart, reranker: reranker)
    }
}
