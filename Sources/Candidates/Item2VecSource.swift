import Domain
import Foundation

/// Behavioural candidates from item2vec neighbours (`Item2VecIndex`): products that sit near the
/// request's seeds in the space learnt from baskets and shopper sequences. Unlike raw
/// co-occurrence it links products that share contexts without sharing a basket, which reaches
/// rarer products.
///
/// Seeds, as for `CoPurchaseSource`: the cart items (cart), the anchor (product page, frequently
/// bought together), the shopper's purchases weighted `exp(−age/τ)` (homepage); search: nothing.
public struct Item2VecSource: PerRequestCandidateSource {
    public let index: Item2VecIndex
    /// Half-life of a purchase's weight as a homepage seed, in days.
    public var seedHalfLifeDays: Double
    public var origin: CandidateOrigin { .item2vec }

    public init(index: Item2VecIndex, seedHalfLifeDays: Double = 30) {
        self.index = index
        self.seedHalfLifeDays = seedHalfLifeDays
    }

    public func candidates(for context: ShopperContext, limit: Int) -> [Candidate] {
        let request = context.request
        var seeds: [(productID: ProductID, weight: Float)]
        switch request.widget {
        case .cart:
            seeds = request.cartItems.map { ($0, 1) }
        case .product, .frequentlyBoughtTogether:
            guard let anchor = request.anchorProductID else { return [] }
            seeds = [(anchor, 1)]
        case .homepage:
            seeds = CoPurchaseSource.decayedPurchases(context.history, halfLifeDays: seedHalfLifeDays, now: context.now)
                .map { (productID: $0.key, weight: $0.value) }
        case .search:
            return []
        }
        // Seeds in a fixed order, so every process sums the same floats in the same order.
        seeds.sort { $0.productID < $1.productID }
        let seedSet = Set(seeds.map(\.productID))
        var ranked = index.scores(seeds: seeds).filter { $0.value > 0 && !seedSet.contains($0.key) }.map { (productID: $0.key, score: $0.value) }
        ranked.sort { $0.score != $1.score ? $0.score > $1.score : $0.productID < $1.productID }
        return ranked.prefix(limit).map { Candidate(productID: $0.productID, origin: .item2vec, rawScore: $0.score) }
    }
}
