import Domain
import Foundation

/// Collaborative candidates from item–item co-occurrence.
///
/// - cart: seeds are the cart items in the basket index ("frequently bought together") — mixed with
///   the same seeds in the baskets' EASE weights when given (`cartEASEWeight`) — then mixed with
///   the same seeds in the customer index (`cartCustomerWeight`: what the same customers bought on
///   other days, which reaches items too rare to co-occur in one basket), plus, with
///   `repeatWeight > 0`, the shopper's own earlier purchases: wholesale buyers restock, and on
///   the validation split their own history is the strongest basket-completion signal after
///   co-occurrence (docs/benchmarks/offline-quality.md).
/// - product / frequently bought together: the anchor product in the basket index.
/// - homepage: the shopper's purchase history, each product weighted `exp(−age/τ)`, in the
///   customer index ("customers who bought this also bought"), mixed with the same seeds in the
///   customers' EASE weights when given (`homepageEASEWeight`).
/// - search: nothing.
public struct CoPurchaseSource: PerRequestCandidateSource {
    public struct Configuration: Sendable, Hashable {
        /// Half-life of a history item's weight as a homepage seed, in days.
        public var seedHalfLifeDays: Double
        /// Share of the cart list given to the shopper's own earlier purchases (0 turns it off).
        public var repeatWeight: Float
        /// Half-life of an earlier purchase's repeat weight, in days.
        public var repeatHalfLifeDays: Double
        /// Share of the cart's co-occurrence evidence taken from the customer index rather than
        /// the basket index (0 = baskets only).
        public var cartCustomerWeight: Float
        /// How much more an earlier purchase counts when its basket shared items with the cart:
        /// weight × (1 + affinity × overlap / cart size). A shopper who reorders a similar basket
        /// completes it with what went with those items last time (0 = plain repeat weights).
        public var repeatBasketAffinity: Float
        /// Share of the homepage's evidence taken from the customers' EASE weights rather than the
        /// customer index (0 = the customer index only; needs `customerEASE`).
        public var homepageEASEWeight: Float
        /// Share of the cart's basket evidence taken from the baskets' EASE weights rather than the
        /// basket index (0 = the basket index only; needs `basketEASE`). 0.7 was the best of
        /// 0.5 … 0.9 on the mean of the backtest windows, and every share above the basket index
        /// alone on each window (docs/QUALITY.md).
        public var cartEASEWeight: Float

        public init(
            seedHalfLifeDays: Double = 30, repeatWeight: Float = 0.4, repeatHalfLifeDays: Double = 90,
            cartCustomerWeight: Float = 0, repeatBasketAffinity: Float = 0, homepageEASEWeight: Float = 0,
            cartEASEWeight: Float = 0.7
        ) {
            self.seedHalfLifeDays = seedHalfLifeDays
            self.repeatWeight = repeatWeight
            self.repeatHalfLifeDays = repeatHalfLifeDays
            self.cartCustomerWeight = cartCustomerWeight
            self.repeatBasketAffinity = repeatBasketAffinity
            self.homepageEASEWeight = homepageEASEWeight
            self.cartEASEWeight = cartEASEWeight
        }
    }

    public let basketIndex: CoPurchaseIndex
    public let customerIndex: CoPurchaseIndex
    /// Learned item–item weights over customers (homepage) and baskets (cart); nil = the
    /// co-occurrence indexes alone.
    public let customerEASE: EASEIndex?
    public let basketEASE: EASEIndex?
    public var configuration: Configuration
    public var origin: CandidateOrigin { .coPurchase }

    public init(
        basketIndex: CoPurchaseIndex, customerIndex: CoPurchaseIndex, customerEASE: EASEIndex? = nil,
        basketEASE: EASEIndex? = nil, configuration: Configuration = Configuration()
    ) {
        self.basketIndex = basketIndex
        self.customerIndex = customerIndex
        self.customerEASE = customerEASE
        self.basketEASE = basketEASE
        self.configuration = configuration
    }

    public func candidates(for context: ShopperContext, limit: Int) -> [Candidate] {
        let request = context.request
        var scores: [ProductID: Float]
        var seedsToDrop: Set<ProductID> = []
        switch request.widget {
        case .cart:
            let seeds = request.cartItems.map { (productID: $0, weight: Float(1)) }
            seedsToDrop = Set(request.cartItems)
            scores = basketIndex.scores(seeds: seeds)
            if let basketEASE, configuration.cartEASEWeight > 0 {
                scores = Self.mix(scores, basketEASE.scores(seeds: seeds), weight: configuration.cartEASEWeight, excluding: seedsToDrop)
            }
            if configuration.cartCustomerWeight > 0 {
                scores = Self.mix(
                    scores, customerIndex.scores(seeds: seeds), weight: configuration.cartCustomerWeight, excluding: seedsToDrop)
            }
            if configuration.repeatWeight > 0 {
                let repeats = Self.decayedPurchases(
                    context.history, halfLifeDays: configuration.repeatHalfLifeDays, now: context.now,
                    cart: seedsToDrop, basketAffinity: configuration.repeatBasketAffinity)
                scores = Self.mix(scores, repeats, weight: configuration.repeatWeight, excluding: seedsToDrop)
            }
        case .product, .frequentlyBoughtTogether:
            guard let anchor = request.anchorProductID else { return [] }
            seedsToDrop = [anchor]
            scores = basketIndex.scores(seeds: [(anchor, 1)])
        case .homepage:
            let seeds = Self.decayedPurchases(context.history, halfLifeDays: configuration.seedHalfLifeDays, now: context.now)
            // Seeds in a fixed order, so every process sums the same floats in the same order.
            let ordered = seeds.map { (productID: $0.key, weight: $0.value) }.sorted { $0.productID < $1.productID }
            scores = customerIndex.scores(seeds: ordered)
            if let customerEASE, configuration.homepageEASEWeight > 0 {
                scores = Self.mix(scores, customerEASE.scores(seeds: ordered), weight: configuration.homepageEASEWeight, excluding: [])
            }
        case .search:
            return []
        }
        // Best first, ties by product id: the same list whatever the dictionary's hash order.
        var ranked = scores.filter { $0.value > 0 && !seedsToDrop.contains($0.key) }.map { (productID: $0.key, score: $0.value) }
        ranked.sort { $0.score != $1.score ? $0.score > $1.score : $0.productID < $1.productID }
        return ranked.prefix(limit).map { Candidate(productID: $0.productID, origin: .coPurchase, rawScore: $0.score) }
    }

    /// Σ exp(−age/τ) over the shopper's purchases of each product (τ from the half-life), each
    /// × (1 + `basketAffinity` × the share of `cart` its basket also held).
    public static func decayedPurchases(
        _ history: [Interaction], halfLifeDays: Double, now: Date, cart: Set<ProductID> = [], basketAffinity: Float = 0
    ) -> [ProductID: Float] {
        let tau = halfLifeDays * 86_400 / log(2)
        var overlap: [String: Int] = [:]
        if basketAffinity > 0, !cart.isEmpty {
            for event in history where event.type == .purchase && cart.contains(event.productID) {
                if let basket = event.basketID { overlap[basket, default: 0] += 1 }
            }
        }
        let cartSize = Float(max(1, cart.count))
        var weights: [ProductID: Float] = [:]
        for event in history where event.type == .purchase {
            let age = max(0, now.timeIntervalSince(event.occurredAt))
            var weight = Float(exp(-age / tau))
            if let basket = event.basketID, let shared = overlap[basket] {
                weight *= 1 + basketAffinity * Float(shared) / cartSize
            }
            weights[event.productID, default: 0] += weight
        }
        return weights
    }

    /// `(1 − w)·a/max(a) + w·b/max(b)`: two signals on a common scale.
    public static func mix(_ a: [ProductID: Float], _ b: [ProductID: Float], weight: Float, excluding: Set<ProductID>) -> [ProductID: Float] {
        let maxA = a.lazy.filter { !excluding.contains($0.key) }.map(\.value).max() ?? 0
        let maxB = b.lazy.filter { !excluding.contains($0.key) }.map(\.value).max() ?? 0
        var result: [ProductID: Float] = [:]
        if maxA > 0 { for (k, v) in a { result[k, default: 0] += (1 - weight) * v / maxA } }
        if maxB > 0 { for (k, v) in b { result[k, default: 0] += weight * v / maxB } }
        return result
    }
}
