import Candidates
import Domain
import Foundation

/// The built-in peers `eval` and `backtest` print next to the hybrid (../shared/eval/BASELINES.md):
/// global popularity, popularity of the last 60 days, item-kNN co-purchase (customer co-occurrence
/// cosine with 5 neighbours and 30-day-half-life seeds for users; basket co-occurrence cosine with
/// 5 neighbours for carts), user-kNN (cosine over purchase vectors, 100 neighbours, no decay; carts
/// use their customer's neighbours) and BASELINES.md's best task-A peer, the per-user min-max
/// blend 0.5·item-kNN + 0.3·user-kNN + 0.2·popularity of the last 60 days (carts blend the basket
/// item-kNN the same way), and implicit ALS (`ImplicitALS`, untuned defaults; carts by the summed
/// cosine of product factors). BPR is not built in.
public struct Baselines: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case globalPopularity = "popularity, global"
        case recentPopularity = "popularity, last 60 days"
        case itemKNN = "item-kNN co-purchase"
        case userKNN = "user-kNN"
        case knnBlend = "kNN + popularity blend"
        case implicitALS = "implicit ALS"
    }

    /// BASELINES.md's blend weights for `.knnBlend`: item-kNN, user-kNN, popularity of the last 60 days.
    static let blendWeights: (itemKNN: Float, userKNN: Float, popularity: Float) = (0.5, 0.3, 0.2)

    let global: [ProductID]
    let recent: [ProductID]
    let customerIndex: CoPurchaseIndex
    let basketIndex: CoPurchaseIndex
    let similarUsers: SimilarUsersIndex
    let recentCounts: [ProductID: Float]
    /// Fitted only when asked for: it takes the longest to build.
    let als: ImplicitALS?
    let historyByUser: [UserID: [Interaction]]
    let now: Date

    /// Builds what `kinds` need (the popularity lists and kNN indexes always; ALS only when asked).
    public init(history: [Interaction], now: Date, kinds: Set<Kind> = Set(Kind.allCases)) {
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
        recentCounts = Dictionary(uniqueKeysWithValues: recent.map { ($0, Float(last60[$0] ?? 0)) })
        customerIndex = CoPurchaseIndex(configuration: .init(normalization: .cosine, neighboursPerItem: 5))
        customerIndex.rebuild(from: history, groupKey: \.userID)
        basketIndex = CoPurchaseIndex(configuration: .init(normalization: .cosine, neighboursPerItem: 5))
        basketIndex.rebuild(from: history, groupKey: \.basketID)
        // A half-life of ~270 years: no decay within the data, as BASELINES.md's plain cosine.
        similarUsers = SimilarUsersIndex(configuration: .init(neighbours: 100, halfLifeDays: 100_000))
        similarUsers.rebuild(from: history)
        als = kinds.contains(.implicitALS) ? ImplicitALS(history: history) : nil
    }

    public func users(_ users: [UserID], kind: Kind, k: Int, excludePurchased: Bool) -> [UserID: [ProductID]] {
        var result: [UserID: [ProductID]] = [:]
        for user in users {
            let history = historyByUser[user] ?? []
            let excluded = excludePurchased ? Set(history.map(\.productID)) : []
            let seeds = CoPurchaseSource.decayedPurchases(history, halfLifeDays: 30, now: now)
            let scores = scores(
                kind: kind, user: user, cart: nil,
                itemKNN: { customerIndex.scores(seeds: seeds.map { (productID: $0.key, weight: $0.value) }) })
            result[user] = list(scores: scores, kind: kind, k: k, excluded: excluded)
        }
        return result
    }

    public func carts(_ queries: [CartQuery], kind: Kind, k: Int) -> [String: [ProductID]] {
        var result: [String: [ProductID]] = [:]
        for query in queries {
            let scores = scores(
                kind: kind, user: query.customerID, cart: query.cart,
                itemKNN: { basketIndex.scores(seeds: query.cart.map { (productID: $0, weight: Float(1)) }) })
            result[query.basketID] = list(scores: scores, kind: kind, k: k, excluded: Set(query.cart))
        }
        return result
    }

    /// The kind's scores for one homepage list (`cart` nil) or cart list (empty for the
    /// popularity kinds, which are their fallback).
    private func scores(kind: Kind, user: UserID, cart: [ProductID]?, itemKNN: () -> [ProductID: Float]) -> [ProductID: Float] {
        switch kind {
        case .globalPopularity, .recentPopularity: return [:]
        case .implicitALS:
            guard let als else { return [:] }
            return cart.map { als.scores(cart: $0) } ?? als.scores(user: user)
        case .itemKNN: return itemKNN()
        case .userKNN: return similarUsers.recommendations(for: user)
        case .knnBlend:
            var blended: [ProductID: Float] = [:]
            let w = Self.blendWeights
            for (signal, weight) in [(itemKNN(), w.itemKNN), (similarUsers.recommendations(for: user), w.userKNN), (recentCounts, w.popularity)] {
                for (product, value) in Self.minMaxScaled(signal) { blended[product, default: 0] += weight * value }
            }
            return blended
        }
    }

    /// Scores mapped to [0, 1] by min-max (all 1 when they are equal).
    private static func minMaxScaled(_ scores: [ProductID: Float]) -> [ProductID: Float] {
        guard let low = scores.values.min(), let high = scores.values.max() else { return [:] }
        let span = high - low
        return scores.mapValues { span > 0 ? ($0 - low) / span : 1 }
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
