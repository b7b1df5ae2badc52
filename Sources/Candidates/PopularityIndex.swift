import Domain
import Foundation

/// Time-decayed purchase counts, global and per category: the trending list, the cold-start
/// fallback and the slot filler.
///
/// Scores are kept as `PopularityDecay` increments (`exp((t − epoch)/τ)`), so adding an event is
/// O(1) and the order never has to be recomputed as time passes; the server mirrors the same
/// numbers in Redis sorted sets. By default only a user's *first* purchase of a product counts:
/// on the validation split, "how many new buyers did this product win lately" predicts discovery
/// far better than raw volume, which wholesalers' repeat orders dominate
/// (docs/benchmarks/offline-quality.md).
///
/// Increments grow by e every τ (14 days by default), so from a fixed epoch they leave `Double`
/// (e^709) after 27 years — from the default 2000-01-01, in March 2027. The index moves its own
/// epoch forward in steps of 300τ (`MovingDecayEpoch`) when an event lands a full step past it,
/// rescaling the stored scores by e^−step (orders and decayed scores unchanged). The Redis mirror
/// keeps its fixed shared epoch (2025, good to ~2050).
public final class PopularityIndex: @unchecked Sendable {
    public struct Configuration: Sendable, Hashable {
        public var decay: PopularityDecay
        /// Count only the first purchase of each (user, product) pair.
        public var firstPurchasesOnly: Bool
        /// Event types that count, with their weights (purchases only by default).
        public var eventWeights: [InteractionType: Double]

        public init(
            decay: PopularityDecay = PopularityDecay(),
            firstPurchasesOnly: Bool = true,
            eventWeights: [InteractionType: Double] = [.purchase: 1]
        ) {
            self.decay = decay
            self.firstPurchasesOnly = firstPurchasesOnly
            self.eventWeights = eventWeights
        }
    }

    public let configuration: Configuration
    private let lock = NSLock()
    /// `configuration.decay`'s epoch as moved so far, in steps of 300τ: increments up to e^300,
    /// far inside `Double` even summed.
    private var epoch: MovingDecayEpoch
    private var global: [ProductID: Double] = [:]
    private var byCategory: [String: [ProductID: Double]] = [:]
    private var seenPairs: Set<PairKey> = []
    private var sortedGlobal: [(ProductID, Double)]? = nil
    private var sortedByCategory: [String: [(ProductID, Double)]] = [:]

    private struct PairKey: Hashable {
        let user: UserID
        let product: ProductID
    }

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        self.epoch = Self.firstEpoch(configuration)
    }

    private static func firstEpoch(_ configuration: Configuration) -> MovingDecayEpoch {
        MovingDecayEpoch(start: configuration.decay.epoch, timeConstant: configuration.decay.timeConstant, step: 300)
    }

    /// Adds one event. Events may arrive in any order, but "first purchase" means first *seen*,
    /// so rebuild from history in time order.
    public func record(_ event: Interaction, category: String = "") {
        guard let weight = configuration.eventWeights[event.type], weight != 0 else { return }
        lock.lock()
        defer { lock.unlock() }
        if configuration.firstPurchasesOnly {
            guard seenPairs.insert(PairKey(user: event.userID, product: event.productID)).inserted else { return }
        }
        moveEpochIfNeeded(for: event.occurredAt)
        let increment = decay.increment(weight: weight, at: event.occurredAt)
        global[event.productID, default: 0] += increment
        sortedGlobal = nil
        if !category.isEmpty {
            byCategory[category, default: [:]][event.productID, default: 0] += increment
            sortedByCategory[category] = nil
        }
    }

    /// Rebuilds from history (sorted by time here, so "first purchase" is well defined).
    public func rebuild(from events: [Interaction], categoryOf: (ProductID) -> String) {
        lock.lock()
        global = [:]
        byCategory = [:]
        seenPairs = []
        sortedGlobal = nil
        sortedByCategory = [:]
        epoch = Self.firstEpoch(configuration)
        lock.unlock()
        for event in events.sorted(by: { $0.occurredAt < $1.occurredAt }) {
            record(event, category: categoryOf(event.productID))
        }
    }

    /// The `limit` most popular products (of `category` when given) with decayed scores at `now`.
    /// - Complexity: O(n log n) after a write, O(limit) otherwise (the order is cached).
    public func top(_ limit: Int, category: String? = nil, now: Date) -> [(productID: ProductID, score: Double)] {
        let (list, decay) = ranked(category: category)
        return list.prefix(limit).map { (productID: $0.0, score: decay.decayed(stored: $0.1, now: now)) }
    }

    /// The ids of the `limit` most popular products (of `category` when given), in order: the
    /// fill lists need no scores, and decaying each one costs an `exp`.
    public func topIDs(_ limit: Int, category: String? = nil) -> [ProductID] {
        ranked(category: category).list.prefix(limit).map(\.0)
    }

    /// The cached order (rebuilt after a write) and the decay its scores are stored under, taken
    /// together under the lock.
    private func ranked(category: String?) -> (list: [(ProductID, Double)], decay: PopularityDecay) {
        lock.lock()
        defer { lock.unlock() }
        let list: [(ProductID, Double)]
        if let category, !category.isEmpty {
            if let cached = sortedByCategory[category] {
                list = cached
            } else {
                let sorted = Self.sorted(byCategory[category] ?? [:])
                sortedByCategory[category] = sorted
                list = sorted
            }
        } else if let cached = sortedGlobal {
            list = cached
        } else {
            let sorted = Self.sorted(global)
            sortedGlobal = sorted
            list = sorted
        }
        return (list, decay)
    }

    /// The decayed score of one product at `now` (0 when never counted).
    public func score(of productID: ProductID, now: Date) -> Double {
        lock.lock()
        defer { lock.unlock() }
        return decay.decayed(stored: global[productID] ?? 0, now: now)
    }

    /// Moves the epoch a whole number of steps forward when `time` is a step or more past it,
    /// scaling every stored score to match (lock held).
    private func moveEpochIfNeeded(for time: Date) {
        let shift = epoch.advance(toInclude: time)
        guard shift > 0 else { return }
        let factor = exp(-shift)
        for key in global.keys { global[key]! *= factor }
        for category in byCategory.keys {
            for key in byCategory[category]!.keys { byCategory[category]![key]! *= factor }
        }
        sortedGlobal = nil
        sortedByCategory = [:]
    }

    /// The decay the stored scores are under now: the configured one at the current epoch (lock held).
    private var decay: PopularityDecay {
        var decay = configuration.decay
        decay.epoch = epoch.epoch
        return decay
    }

    private static func sorted(_ scores: [ProductID: Double]) -> [(ProductID, Double)] {
        scores.map { ($0.key, $0.value) }.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
    }
}
