import Domain
import Foundation

/// Users as sparse interaction vectors, for "shoppers like you bought".
///
/// A user's weight on a product is Σ over events of `InteractionType.preferenceWeight ·
/// exp((t − epoch)/τ)`: a common growing scale, so cosine between users is exactly the cosine of the
/// time-decayed vectors and nothing needs rewriting as time passes. An inverted product → users
/// list finds neighbours by touching only users who share a product.
public final class SimilarUsersIndex: @unchecked Sendable {
    public struct Configuration: Sendable, Hashable {
        /// Neighbours per user.
        public var neighbours: Int
        /// Half-life of an event's weight, in days.
        public var halfLifeDays: Double

        public init(neighbours: Int = 50, halfLifeDays: Double = 90) {
            self.neighbours = neighbours
            self.halfLifeDays = halfLifeDays
        }
    }

    public let configuration: Configuration
    private let epoch = Date(timeIntervalSince1970: 1_262_304_000)
    private let lock = NSLock()
    private var userOrdinals: [UserID: Int32] = [:]
    private var userIDs: [UserID] = []
    private var vectors: [[ProductID: Float]] = []
    private var squaredNorms: [Float] = []
    private var purchases: [Set<ProductID>] = []
    private var usersByProduct: [ProductID: Set<Int32>] = [:]

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// Adds one event to its user's vector. - Complexity: O(1).
    public func record(_ event: Interaction) {
        lock.lock()
        defer { lock.unlock() }
        let u = userOrdinal(event.userID)
        let tau = configuration.halfLifeDays * 86_400 / log(2)
        let delta = event.type.preferenceWeight * Float(exp(event.occurredAt.timeIntervalSince(epoch) / tau))
        let old = vectors[Int(u)][event.productID] ?? 0
        let new = old + delta
        vectors[Int(u)][event.productID] = new
        squaredNorms[Int(u)] += new * new - old * old
        usersByProduct[event.productID, default: []].insert(u)
        if event.type == .purchase { purchases[Int(u)].insert(event.productID) }
    }

    public func rebuild(from events: [Interaction]) {
        lock.lock()
        userOrdinals = [:]
        userIDs = []
        vectors = []
        squaredNorms = []
        purchases = []
        usersByProduct = [:]
        lock.unlock()
        for event in events { record(event) }
    }

    /// The user's nearest neighbours by cosine, best first (empty for unknown users).
    /// - Complexity: O(Σ over the user's products of their buyer counts).
    public func neighbours(of userID: UserID) -> [(userID: UserID, similarity: Float)] {
        lock.lock()
        defer { lock.unlock() }
        return neighboursLocked(userID).map { (userID: userIDs[Int($0.0)], similarity: $0.1) }
    }

    /// Products the neighbours bought that the user has not, scored Σ similarity.
    public func recommendations(for userID: UserID) -> [ProductID: Float] {
        lock.lock()
        defer { lock.unlock() }
        guard let u = userOrdinals[userID] else { return [:] }
        let own = purchases[Int(u)]
        var scores: [ProductID: Float] = [:]
        for (v, similarity) in neighboursLocked(userID) {
            for product in purchases[Int(v)] where !own.contains(product) {
                scores[product, default: 0] += similarity
            }
        }
        return scores
    }

    private func neighboursLocked(_ userID: UserID) -> [(Int32, Float)] {
        guard let u = userOrdinals[userID] else { return [] }
        let vector = vectors[Int(u)]
        let norm = squaredNorms[Int(u)].squareRoot()
        guard norm > 0 else { return [] }
        var dots: [Int32: Float] = [:]
        for (product, weight) in vector {
            guard let others = usersByProduct[product] else { continue }
            for v in others where v != u {
                if let w = vectors[Int(v)][product] { dots[v, default: 0] += weight * w }
            }
        }
        var heap = TopKHeap(capacity: configuration.neighbours)
        for (v, dot) in dots {
            let otherNorm = squaredNorms[Int(v)].squareRoot()
            if otherNorm > 0, dot > 0 { heap.push(dot / (norm * otherNorm), v) }
        }
        return heap.sortedDescending().map { ($0.ordinal, $0.score) }
    }

    private func userOrdinal(_ userID: UserID) -> Int32 {
        if let existing = userOrdinals[userID] { return existing }
        let new = Int32(userIDs.count)
        userOrdinals[userID] = new
        userIDs.append(userID)
        vectors.append([:])
        squaredNorms.append(0)
        purchases.append([])
        return new
    }
}
