import Domain
import Foundation

/// Item–item co-occurrence over groups of purchases — baskets (orders) for "frequently bought
/// together", or customers for "customers who bought this also bought" — with a normalisation that
/// keeps best-sellers from dominating every neighbour list.
///
/// A group's membership weights decay with time: item `i` in group `g` weighs
/// `exp((t_gi − epoch)/τ)` where `t_gi` is its latest purchase in the group. Cosine and lift rank
/// neighbours identically under a common scale, so the growing weights never need rewriting
/// (the `PopularityDecay` trick). Adding a purchase touches only the group's other items, so
/// `add(group:items:at:)` is O(group size) and the next query sees it.
///
/// The norms and co-occurrences hold squares of that growing scale, which leave `Float` (e^88)
/// 44τ after the epoch — for the customers' 180-day half-life, in 2041 from 2010. The epoch
/// therefore moves forward in steps of 20τ (`MovingDecayEpoch`) when a purchase lands a full step
/// past it (at a rebuild: straight to the newest purchase's step), rescaling every stored sum;
/// cosines are scale-free, so the neighbours stay (up to rounding).
public final class CoPurchaseIndex: @unchecked Sendable {
    /// How raw co-occurrence `C_ij` becomes a neighbour score.
    public enum Normalization: Sendable, Hashable {
        /// `C_ij / √(N_i · N_j)` with `N_i = Σ_g w_gi²`: symmetric, discounts popular items.
        case cosine
        /// `C_ij / (n_i^(1−α) · n_j^α)`: α = 0.5 is cosine on binary data, α = 0 is P(j | i).
        case asymmetric(alpha: Float)
        /// `C_ij / (n_i · n_j) · C_ij / (C_ij + shrinkage)`: lift, shrunk toward 0 on small support.
        case lift(shrinkage: Float)
        /// `C_ij / n_i` = P(j | i): dominated by best-sellers; kept as a measured baseline.
        case conditionalProbability
    }

    public struct Configuration: Sendable, Hashable {
        public var normalization: Normalization
        /// Neighbours kept per item (few neighbours work best on retail data,
        /// docs/benchmarks/offline-quality.md).
        public var neighboursPerItem: Int
        /// Half-life of a group membership in days; `nil` = no decay (baskets are short-lived).
        public var halfLifeDays: Double?
        /// Only a group's most recent `maxGroupSize` items count, bounding the O(n²) pair work of
        /// wholesale customers with thousands of products.
        public var maxGroupSize: Int
        /// Neighbour scores are raised to this power before seeds are summed: above 1, one strong
        /// link outweighs several weak ones (Aiolli's "locality" exponent for item-kNN).
        public var exponent: Float

        public init(
            normalization: Normalization = .cosine,
            neighboursPerItem: Int = 10,
            halfLifeDays: Double? = nil,
            maxGroupSize: Int = 400,
            exponent: Float = 1
        ) {
            self.normalization = normalization
            self.neighboursPerItem = neighboursPerItem
            self.halfLifeDays = halfLifeDays
            self.maxGroupSize = maxGroupSize
            self.exponent = exponent
        }
    }

    public let configuration: Configuration
    /// From 2010-01-01, in steps of 20τ (`MovingDecayEpoch.floatWeights`); nil without decay.
    private var epoch: MovingDecayEpoch?
    private let lock = NSLock()
    private var ordinals: [ProductID: Int32] = [:]
    private var productIDs: [ProductID] = []
    /// Σ_g w_gi (support) and Σ_g w_gi² (squared norm) per item.
    private var support: [Float] = []
    private var squaredNorm: [Float] = []
    /// `support^α` of the asymmetric cosine per item, NaN until asked for since support last
    /// changed: a neighbour list reads it for every co-occurring item, and a power per pair was
    /// most of the cost of building one.
    private var supportPowers: [Float] = []
    private var pairs: [[Int32: Float]] = []
    /// Group key → (item ordinal → (weight, time)).
    private var groups: [String: [Int32: Membership]] = [:]
    private var neighbourCache: [Int32: [(Int32, Float)]] = [:]

    private struct Membership {
        var weight: Float
        var time: Date
    }

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        self.epoch = Self.firstEpoch(configuration)
    }

    private static func firstEpoch(_ configuration: Configuration) -> MovingDecayEpoch? {
        configuration.halfLifeDays.map(MovingDecayEpoch.floatWeights(halfLifeDays:))
    }

    /// Number of products seen so far.
    public var productCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return productIDs.count
    }

    /// Records that `items` were bought in `group` (a basket id, or a customer id) at `time`.
    /// - Complexity: O(|items| · group size).
    public func add(group: String, items: [ProductID], at time: Date) {
        lock.lock()
        defer { lock.unlock() }
        for item in Set(items) {
            addLocked(group: group, ordinal: ordinal(for: item), at: time)
        }
    }

    /// Records one basket (all its items bought together).
    public func add(basket: String, items: [ProductID], at time: Date) {
        add(group: basket, items: items, at: time)
    }

    /// Rebuilds everything from history: `groupKey` picks basket or customer per event.
    public func rebuild(from events: [Interaction], groupKey: (Interaction) -> String?) {
        lock.lock()
        defer { lock.unlock() }
        ordinals = [:]
        productIDs = []
        support = []
        squaredNorm = []
        supportPowers = []
        pairs = []
        groups = [:]
        neighbourCache = [:]
        epoch = Self.firstEpoch(configuration)
        // Latest time of each item per group first, then each group's pairs once.
        var latest: [String: [Int32: Date]] = [:]
        for event in events where event.type == .purchase {
            guard let key = groupKey(event) else { continue }
            let item = ordinal(for: event.productID)
            if let seen = latest[key]?[item], seen >= event.occurredAt { continue }
            latest[key, default: [:]][item] = event.occurredAt
        }
        if let newest = latest.values.lazy.flatMap(\.values).max() {
            _ = epoch?.advance(toInclude: newest)  // nothing stored yet to rescale
        }
        // Groups and members in a fixed order: the float sums come out bit-identical in every
        // process (hash order differs per process), so tied neighbours rank the same everywhere.
        for key in latest.keys.sorted() {
            let items = latest[key]!
            var members = items.map { (ordinal: $0.key, time: $0.value) }.sorted { $0.ordinal < $1.ordinal }
            if members.count > configuration.maxGroupSize {
                members.sort { $0.time > $1.time }
                members.removeSubrange(configuration.maxGroupSize...)
            }
            var group: [Int32: Membership] = [:]
            group.reserveCapacity(members.count)
            let weights = members.map { weight(at: $0.time) }
            for (index, member) in members.enumerated() {
                let w = weights[index]
                group[member.ordinal] = Membership(weight: w, time: member.time)
                addSupport(w, to: member.ordinal)
                squaredNorm[Int(member.ordinal)] += w * w
                for other in 0..<index {
                    let product = w * weights[other]
                    pairs[Int(member.ordinal)][members[other].ordinal, default: 0] += product
                    pairs[Int(members[other].ordinal)][member.ordinal, default: 0] += product
                }
            }
            groups[key] = group
        }
    }

    /// Raw co-occurrence weight of two products (the number of shared groups when undecayed).
    public func coOccurrence(_ a: ProductID, _ b: ProductID) -> Float {
        lock.lock()
        defer { lock.unlock() }
        guard let i = ordinals[a], let j = ordinals[b] else { return 0 }
        return pairs[Int(i)][j] ?? 0
    }

    /// The item's best neighbours by the configured normalisation, best first.
    /// - Complexity: O(d log k) for an item with d co-occurring items; cached until it changes.
    public func neighbours(of productID: ProductID, limit: Int? = nil) -> [(productID: ProductID, score: Float)] {
        lock.lock()
        defer { lock.unlock() }
        guard let i = ordinals[productID] else { return [] }
        let list = neighboursLocked(i)
        return list.prefix(limit ?? list.count).map { (productID: productIDs[Int($0.0)], score: $0.1) }
    }

    /// Σ_seed weight · score(seed → j) over each seed's neighbour list, for all j reached.
    /// Seeds themselves are not excluded (the caller's rules decide).
    public func scores(seeds: [(productID: ProductID, weight: Float)]) -> [ProductID: Float] {
        lock.lock()
        defer { lock.unlock() }
        return SeedScores.sum(seeds, ordinals: ordinals, productIDs: productIDs, neighbours: { neighboursLocked($0) })
    }

    // MARK: - Internals (lock held)

    private func weight(at time: Date) -> Float {
        guard let epoch else { return 1 }
        return Float(exp(epoch.exponent(at: time)))
    }

    /// Moves the epoch when `time` is a step or more past it, scaling every stored sum to match:
    /// supports and memberships by e^−shift, norms and co-occurrences by its square.
    private func moveEpochIfNeeded(for time: Date) {
        guard let shift = epoch?.advance(toInclude: time), shift > 0 else { return }
        let factor = Float(exp(-shift))
        let squared = factor * factor
        for i in support.indices {
            support[i] *= factor
            squaredNorm[i] *= squared
            supportPowers[i] = .nan
        }
        for i in pairs.indices { pairs[i] = pairs[i].mapValues { $0 * squared } }
        for key in groups.keys {
            groups[key] = groups[key]!.mapValues { Membership(weight: $0.weight * factor, time: $0.time) }
        }
        neighbourCache = [:]
    }

    /// Changes an item's support and forgets its cached power (recomputed when next read).
    private func addSupport(_ delta: Float, to item: Int32) {
        support[Int(item)] += delta
        supportPowers[Int(item)] = .nan
    }

    private func ordinal(for productID: ProductID) -> Int32 {
        if let existing = ordinals[productID] { return existing }
        let new = Int32(productIDs.count)
        ordinals[productID] = new
        productIDs.append(productID)
        support.append(0)
        squaredNorm.append(0)
        supportPowers.append(.nan)
        pairs.append([:])
        return new
    }

    private func addLocked(group key: String, ordinal item: Int32, at time: Date) {
        moveEpochIfNeeded(for: time)
        var group = groups[key] ?? [:]
        let old = group[item]
        if let old, old.time >= time { return }
        let new = weight(at: time)
        let delta = new - (old?.weight ?? 0)
        addSupport(delta, to: item)
        squaredNorm[Int(item)] += new * new - (old.map { $0.weight * $0.weight } ?? 0)
        for (other, membership) in group where other != item {
            let change = delta * membership.weight
            pairs[Int(item)][other, default: 0] += change
            pairs[Int(other)][item, default: 0] += change
        }
        forgetListsReading(item)
        group[item] = Membership(weight: new, time: time)
        if group.count > configuration.maxGroupSize, old == nil {
            // Drop the oldest membership's pairs so the group stays bounded.
            if let oldest = group.min(by: { $0.value.time < $1.value.time }) {
                removeLocked(item: oldest.key, membership: oldest.value, from: &group)
            }
        }
        groups[key] = group
    }

    private func removeLocked(item: Int32, membership: Membership, from group: inout [Int32: Membership]) {
        group[item] = nil
        addSupport(-membership.weight, to: item)
        squaredNorm[Int(item)] -= membership.weight * membership.weight
        for (other, m) in group {
            let change = membership.weight * m.weight
            pairs[Int(item)][other, default: 0] -= change
            pairs[Int(other)][item, default: 0] -= change
        }
        forgetListsReading(item)
    }

    /// Forgets every cached neighbour list that read `item`'s support, norm or co-occurrences: its
    /// own and that of each product it was ever bought with (whose score for `item` divides by
    /// them), not only the products of the group that changed. Without the wider sweep a replica
    /// applying purchases live kept lists a rebuilt replica would not serve.
    private func forgetListsReading(_ item: Int32) {
        neighbourCache[item] = nil
        for other in pairs[Int(item)].keys { neighbourCache[other] = nil }
    }

    private func neighboursLocked(_ i: Int32) -> [(Int32, Float)] {
        if let cached = neighbourCache[i] { return cached }
        var heap = TopKHeap(capacity: configuration.neighboursPerItem)
        let ii = Int(i)
        let supportI = support[ii]
        let normI = squaredNorm[ii].squareRoot()
        var supportIPower: Float = 1
        if case .asymmetric(let alpha) = configuration.normalization { supportIPower = pow(supportI, 1 - alpha) }
        for (j, c) in pairs[ii] where c > 0 {
            let jj = Int(j)
            let score: Float
            switch configuration.normalization {
            case .cosine:
                score = c / max(normI * squaredNorm[jj].squareRoot(), .leastNormalMagnitude)
            case .asymmetric(let alpha):
                var power = supportPowers[jj]
                if power.isNaN {
                    power = pow(support[jj], alpha)
                    supportPowers[jj] = power
                }
                score = c / max(supportIPower * power, .leastNormalMagnitude)
            case .lift(let shrinkage):
                score = c / max(supportI * support[jj], .leastNormalMagnitude) * (c / (c + shrinkage))
            case .conditionalProbability:
                score = c / max(supportI, .leastNormalMagnitude)
            }
            heap.push(score, j)
        }
        let exponent = configuration.exponent
        let list = heap.sortedDescending().map { ($0.ordinal, exponent == 1 ? $0.score : pow($0.score, exponent)) }
        neighbourCache[i] = list
        return list
    }
}

extension CoPurchaseIndex.Configuration {
    /// Baskets ("frequently bought together", the cart): cosine, 10 neighbours, memberships
    /// halving every 400 days (a year-old basket still counts, but this season's more), neighbour
    /// scores raised to 1.5 before a cart's items are summed — tuned on task C of the validation
    /// split (docs/benchmarks/offline-quality.md). The service and the offline evaluation both use
    /// it, so what is measured is what is served.
    public static let baskets = Self(normalization: .cosine, neighboursPerItem: 10, halfLifeDays: 400, exponent: 1.5)
    /// Customers ("customers who bought this also bought", the homepage): the asymmetric cosine
    /// with α 0.6 (a popular neighbour costs a little more than under the cosine: the blend has
    /// its own popularity term), 8 neighbours, a 90-day half-life, neighbour scores raised to 1.5 —
    /// chosen on the mean of the backtest windows, task A (docs/QUALITY.md, "Issue #20 round 4").
    public static let customers = Self(normalization: .asymmetric(alpha: 0.6), neighboursPerItem: 8, halfLifeDays: 90, exponent: 1.5)
}
