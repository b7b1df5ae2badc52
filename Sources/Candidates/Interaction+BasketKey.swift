import Domain
import Foundation
import Support

extension Interaction {
    /// The basket a purchase is grouped in by the basket co-purchase index and the basket model:
    /// its `basketID`, else the buyer's hour (`user@hours since 1970`), for shops that send single
    /// purchases without an order id. One rule for the live updates, the rebuild at start and the
    /// backtests: a replica's basket neighbours must not change when it restarts, and replicas
    /// started at different times must agree.
    public var basketKey: String {
        basketID ?? "\(userID)@\(EpochSeconds.floor(occurredAt) / 3600)"
    }
}
