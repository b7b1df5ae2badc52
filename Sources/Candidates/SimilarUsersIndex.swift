import Domain
import Foundation

/// Users as sparse interaction vectors, for "shoppers like you bought".
///
/// A user's weight on a product is Σ over events of `InteractionType.preferenceWeight ·
/// exp((t − epoch)/τ)`: a common growing scale, so cosine between users is exactly the cosine of the
/// time-decayed vectors and nothing needs rewriting as time passes. An inverted product → users
/// list finds neighbours by touching only users who share a product.
///
/// The scale grows by e every τ (130 days at the default 90-day half-life) and the norms hold its
/// square, so a fixed epoch runs out of `Float` (e^88) within decades — from 2010 that was mid-2025.
/// The epoch therefore moves forward in steps of 20τ (`MovingDecayEpoch`) whenever an event lands
/// a full step past it, rescaling every stored weight by e^−step; cosines are scale-free, so
/// rankings stay (up to rounding), and replicas agree on the epoch whatever order events came in.
///
/// Users and products are interned to ordinals and every posting carries its weight, so a query
/// hashes no strings in its loops: dots and scores accumulate in dense scratch arrays (reset through
/// the list of touched slots). Every personalised homepage runs this step, and hashing strings had
/// been most of its cost (docs/benchmarks/vector-search.md).
public final class SimilarUsersIndex: @unchecked Sendable {
    public struct Configuration: Sendable, Hashable {
        /// Neighbours per user.
        public var neighbours: Int
        /// Half-life of an event's weight, in days.
        public var halfLifeDays: Double
        /// A product's score is divided by its buyer count raised to this power: 0 keeps the plain
        /// Σ similarity, which the best-sellers every neighbour bought dominate; above 0 it leans
        /// toward what these neighbours buy more than everyone does (the item side's asymmetric
        /// cosine does the same for co-purchase).
        public var popularityPenalty: Float

        public init(neighbours: Int = 50, halfLifeDays: Double = 90, popularityPenalty: Float = 0) {
            self.neighbours = neighbours
            self.halfLifeDays = halfLifeDays
            self.popularityPenalty = popularityPenalty
        }

        /// The homepage's "shoppers like you bought" (the only widget that asks): 50 neighbours,
        /// a 90-day half-life, buyer counts to the power 0.3 — the penalty chosen on the mean of
        /// the backtest windows (docs/QUALITY.md, "Issue #20 round 4").
        public static let homepage = Configuration(neighbours: 50, halfLifeDays: 90, popularityPenalty: 0.3)
    }

    /// One user's weight on one product, filed under the product.
    private struct Posting {
        var user: Int32
        var weight: Float
    }

    /// One product in one user's vector: its weight, where the matching posting sits, and
    /// whether the user bought it.
    private struct Entry {
        var weight: Float
        var posting: Int32
        var purchased: Bool
    }

    public let configuration: Configuration
    /// From 2010-01-01, in steps of 20τ (`MovingDecayEpoch.floatWeights`).
    private var epoch: MovingDecayEpoch
    private let lock = NSLock()
    private var userOrdinals: [UserID: Int32] = [:]
    private var userIDs: [UserID] = []
    private var productOrdinals: [ProductID: Int32] = [:]
    private var productIDs: [ProductID] = []
    private var vectors: [[Int32: Entry]] = []
    private var squaredNorms: [Float] = []
    /// Each user's purchased products, without repeats.
    private var purchases: [[Int32]] = []
    /// How many users bought each product, and that count raised to `popularityPenalty` (kept
    /// beside it, so a query divides instead of raising a power per product).
    private var buyerCounts: [Int32] = []
    private var penaltyDivisors: [Float] = []
    private var postings: [[Posting]] = []
    /// Dense accumulators indexed by user / product ordinal; zero outside a query.
    private var userScratch: [Float] = []
    private var productScratch: [Float] = []

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        self.epoch = .floatWeights(halfLifeDays: configuration.halfLifeDays)
    }

    /// Adds one event to its user's vector. - Complexity: O(1) amortised.
    public func record(_ event: Interaction) {
        lock.lock()
        defer { lock.unlock() }
        let u = userOrdinal(event.userID)
        let p = productOrdinal(event.productID)
        let shift = epoch.advance(toInclude: event.occurredAt)
        if shift > 0 { rescaleWeights(by: Float(exp(-shift))) }
        let delta = event.type.preferenceWeight * Float(exp(epoch.exponent(at: event.occurredAt)))
        let isPurchase = event.type == .purchase
        if var entry = vectors[Int(u)][p] {
            let old = entry.weight
            entry.weight += delta
            if isPurchase, !entry.purchased { recordFirstPurchase(user: u, product: p) }
            entry.purchased = entry.purchased || isPurchase
            vectors[Int(u)][p] = entry
            postings[Int(p)][Int(entry.posting)].weight = entry.weight
            squaredNorms[Int(u)] += entry.weight * entry.weight - old * old
        } else {
            postings[Int(p)].append(Posting(user: u, weight: delta))
            vectors[Int(u)][p] = Entry(weight: delta, posting: Int32(postings[Int(p)].count - 1), purchased: isPurchase)
            squaredNorms[Int(u)] += delta * delta
            if isPurchase { recordFirstPurchase(user: u, product: p) }
        }
    }

    public func rebuild(from events: [Interaction]) {
        lock.lock()
        userOrdinals = [:]
        userIDs = []
        productOrdinals = [:]
        productIDs = []
        vectors = []
        squaredNorms = []
        purchases = []
        buyerCounts = []
        penaltyDivisors = []
        postings = []
        userScratch = []
        productScratch = []
        epoch = .floatWeights(halfLifeDays: configuration.halfLifeDays)
        lock.unlock()
        for event in events { record(event) }
    }

    /// The user's nearest neighbours by cosine, best first (empty for unknown users).
    /// - Complexity: O(Σ over the user's products of their buyer counts).
    public func neighbours(of userID: UserID) -> [(userID: UserID, similarity: Float)] {
        lock.lock()
        defer { lock.unlock() }
        guard let u = userOrdinals[userID] else { return [] }
        return neighboursLocked(u).map { (userID: userIDs[Int($0.ordinal)], similarity: $0.score) }
    }

    /// Products the neighbours bought that the user has not, scored Σ similarity ÷ buyers^`popularityPenalty`.
    public func recommendations(for userID: UserID) -> [ProductID: Float] {
        var result: [ProductID: Float] = [:]
        for (product, score) in recommendations(for: userID, limit: .max) { result[product] = score }
        return result
    }

    /// The `limit` best products the neighbours bought that the user has not, scored Σ similarity ÷ buyers^`popularityPenalty`,
    /// best first (ties by first appearance).
    public func recommendations(for userID: UserID, limit: Int) -> [(productID: ProductID, score: Float)] {
        lock.lock()
        defer { lock.unlock() }
        guard let u = userOrdinals[userID], limit > 0 else { return [] }
        let neighbours = neighboursLocked(u)
        let own = vectors[Int(u)]
        var touched: [Int32] = []
        productScratch.withUnsafeMutableBufferPointer { scores in
            for neighbour in neighbours {
                for p in purchases[Int(neighbour.ordinal)] where own[p]?.purchased != true {
                    if scores[Int(p)] == 0 { touched.append(p) }
                    scores[Int(p)] += neighbour.score
                }
            }
        }
        var heap = TopKHeap(capacity: min(limit, touched.count))
        for p in touched {
            heap.push(productScratch[Int(p)] / penaltyDivisors[Int(p)], p)
            productScratch[Int(p)] = 0
        }
        return heap.sortedDescending().map { (productID: productIDs[Int($0.ordinal)], score: $0.score) }
    }

    private func neighboursLocked(_ u: Int32) -> [(score: Float, ordinal: Int32)] {
        let norm = squaredNorms[Int(u)].squareRoot()
        guard norm > 0 else { return [] }
        var touched: [Int32] = []
        userScratch.withUnsafeMutableBufferPointer { dots in
            // The user's products in ordinal order: the same float sums in every process.
            let own = vectors[Int(u)]
            for product in own.keys.sorted() {
                let entry = own[product]!
                for posting in postings[Int(product)] where posting.user != u {
                    if dots[Int(posting.user)] == 0 { touched.append(posting.user) }
                    dots[Int(posting.user)] += entry.weight * posting.weight
                }
            }
        }
        var heap = TopKHeap(capacity: configuration.neighbours)
        for v in touched {
            let dot = userScratch[Int(v)]
            userScratch[Int(v)] = 0
            let otherNorm = squaredNorms[Int(v)].squareRoot()
            if otherNorm > 0, dot > 0 { heap.push(dot / (norm * otherNorm), v) }
        }
        return heap.sortedDescending()
    }

    /// Multiplies every weight by `factor` and every squared norm by its square (the epoch moved).
    /// Scaling the norms, rather than summing them again in the dictionaries' hash order, keeps
    /// them bit-identical in every process.
    private func rescaleWeights(by factor: Float) {
        for u in vectors.indices {
            vectors[u] = vectors[u].mapValues { entry in
                var scaled = entry
                scaled.weight *= factor
                return scaled
            }
            squaredNorms[u] *= factor * factor
        }
        for p in postings.indices {
            for i in postings[p].indices { postings[p][i].weight *= factor }
        }
    }

    private func userOrdinal(_ userID: UserID) -> Int32 {
        if let existing = userOrdinals[userID] { return existing }
        let new = Int32(userIDs.count)
        userOrdinals[userID] = new
        userIDs.append(userID)
        vectors.append([:])
        squaredNorms.append(0)
        purchases.append([])
        userScratch.append(0)
        return new
    }

    private func productOrdinal(_ productID: ProductID) -> Int32 {
        if let existing = productOrdinals[productID] { return existing }
        let new = Int32(productIDs.count)
        productOrdinals[productID] = new
        productIDs.append(productID)
        postings.append([])
        buyerCounts.append(0)
        penaltyDivisors.append(1)
        productScratch.append(0)
        return new
    }

    /// The user's first purchase of the product: one more buyer, and the divisor to match.
    private func recordFirstPurchase(user u: Int32, product p: Int32) {
        purchases[Int(u)].append(p)
        buyerCounts[Int(p)] += 1
        let penalty = configuration.popularityPenalty
        penaltyDivisors[Int(p)] = penalty == 0 ? 1 : pow(Float(buyerCounts[Int(p)]), penalty)
    }
}
