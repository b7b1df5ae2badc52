import Candidates
import Domain
import Foundation

/// The built-in peers `eval` prints next to the hybrid: global popularity, popularity of the last
/// 60 days, and item-kNN co-purchase (customer co-occurrence cosine with 5 neighbours and
/// 30-day-half-life seeds for users; basket co-occurrence cosine with 5 neighbours for carts).
public struct Baselines: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case globalPopularity = "popularity, global"
        case recentPopularity = "popularity, last 60 days"
        case itemKNN = "item-kNN co-purchase"
    }

    let global: [ProductID]
    let recent: [ProductID]
    let customerIndex: CoPurchaseIndex
    let basketIndex: CoPurchaseIndex
    let historyByUser: [UserID: [Interaction]]
    let now: Date

    public init(history: [Interaction], now: Date) {
        self.now = now
        var all: [ProductID: Int] = [:]
        var last60: [ProductID: Int] = [:]
        let recentStart = now.addingTimeInterval(-60 * 86_400)
        var byUser: [UserID: [Interaction]] = [:]
        for event in history {
            all[event.productID, default: 0] += 1
            if event.occurredAt >= recentStart { last60[event.productID, default: 0] += 1 }
            byUser[event.userID, default: []].append(event)
        }
        historyByUser = byUser
        func ranked(_ counts: [ProductID: Int]) -> [ProductID] {
            counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(2000).map(\.key)
        }
        global = ranked(all)
        recent = ranked(last60)
        customerIndex = CoPurchaseIndex(configuration: .init(normalization: .cosine, neighboursPerItem: 5))
        customerIndex.rebuild(from: history, groupKey: \.userID)
        basketIndex = CoPurchaseIndex(configuration: .init(normalization: .cosine, neighboursPerItem: 5))
        basketIndex.rebuild(from: history, groupKey: \.basketID)
    }

    public func users(_ users: [UserID], kind: Kind, k: Int, excludePurchased: Bool) -> [UserID: [ProductID]] {
        var result: [UserID: [ProductID]] = [:]
        for user in users {
            let history = historyByUser[user] ?? []
            let excluded = excludePurchased ? Set(history.map(\.productID)) : []
            var scores: [ProductID: Float] = [:]
            if kind == .itemKNN {
                let seeds = CoPurchaseSource.decayedPurchases(history, halfLifeDays: 30, now: now)
                scores = customerIndex.scores(seeds: seeds.map { (productID: $0.key, weight: $0.value) })
            }
            result[user] = list(scores: scores, kind: kind, k: k, excluded: excluded)
        }
        return result
    }

    public func carts(_ queries: [CartQuery], kind: Kind, k: Int) -> [String: [ProductID]] {
        var result: [String: [ProductID]] = [:]
        for query in queries {
            var scores: [ProductID: Float] = [:]
            if kind == .itemKNN { scores = basketIndex.scores(seeds: query.cart.map { (productID: $0, weight: Float(1)) }) }
            result[query.basketID] = list(scores: scores, kind: kind, k: k, excluded: Set(query.cart))
        }
        return result
    }

    /// Scored items first, then the fallback popularity list (item-kNN falls back to recent popularity).
    private func list(scores: [ProductID: Float], kind: Kind, k: Int, excluded: Set<ProductID>) -> [ProductID] {
        var out: [ProductID] = []
        var seen = excluded
        for (product, _) in scores.sorted(by: { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }) where seen.insert(product).inserted {
            out.append(product)
            if out.count == k { return out }
        }
        for product in kind == .globalPopularity ? global : recent where seen.insert(product).inserted {
            out.append(product)
            if out.count == k { break }
        }
        return out
    }
}
