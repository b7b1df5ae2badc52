import Domain
import Foundation

/// "Customers who bought this also bought", learned instead of counted: EASE (Steck, "Embarrassingly
/// Shallow Autoencoders for Sparse Data", WWW 2019), a linear item–item model fitted to reproduce
/// every customer's purchases from their other purchases.
///
/// With `X` the customers × products matrix of who bought what (1 or 0) and `G = XᵀX`, the weights
/// minimising `‖X − XB‖² + λ‖B‖²` with a zero diagonal have the closed form
/// `B_ij = −P_ij / P_jj`, `P = (G + λI)⁻¹`. Where cosine kNN scores each pair on its own, the
/// regression discounts what two products share only through a third (a best-seller bought with
/// everything); alone it beat the customer co-occurrence on last year's autumn (docs/QUALITY.md).
///
/// The solve is O(n³) time and O(n²) memory, so only the `maxProducts` products with the most
/// customers are modelled; each keeps its `neighboursPerItem` largest positive weights, and a
/// shopper's scores are summed over those lists like `CoPurchaseIndex`'s (`SeedScores`). Not
/// updated by single events: `rebuild` refits from the history.
///
/// A backtest option only (`hybridrank backtest --ease-weight`): mixed into the homepage's
/// co-purchase evidence it traded `val` for autumn like every move toward the collaborative side
/// and lost on the mean of the windows, so the service does not fit it (docs/QUALITY.md).
public final class EASEIndex: @unchecked Sendable {
    public struct Configuration: Sendable, Hashable {
        /// λ, the ridge penalty on the diagonal of `G` (Steck's data sets: hundreds).
        public var lambda: Float
        /// Products modelled, those with the most customers first.
        public var maxProducts: Int
        /// Positive weights kept per product.
        public var neighboursPerItem: Int

        public init(lambda: Float = 500, maxProducts: Int = 5_000, neighboursPerItem: Int = 100) {
            self.lambda = lambda
            self.maxProducts = maxProducts
            self.neighboursPerItem = neighboursPerItem
        }
    }

    public let configuration: Configuration
    private let lock = NSLock()
    private var ordinals: [ProductID: Int32] = [:]
    private var productIDs: [ProductID] = []
    private var neighbours: [[(Int32, Float)]] = []

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// Products with weights (0 before the first rebuild or when the history is empty).
    public var productCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return productIDs.count
    }

    /// Refits from the purchases in `events` (any order; other event types are ignored).
    /// - Returns: false when the solve failed (the previous weights stay).
    @discardableResult
    public func rebuild(from events: [Interaction]) -> Bool {
        var buyers: [ProductID: Set<UserID>] = [:]
        for event in events where event.type == .purchase { buyers[event.productID, default: []].insert(event.userID) }
        var ranked: [(productID: ProductID, customers: Int)] = buyers.map { (productID: $0.key, customers: $0.value.count) }
        ranked.sort { (a: (productID: ProductID, customers: Int), b: (productID: ProductID, customers: Int)) -> Bool in
            a.customers != b.customers ? a.customers > b.customers : a.productID < b.productID
        }
        let modelled: [ProductID] = ranked.prefix(configuration.maxProducts).map { $0.productID }
        let n = modelled.count
        var index: [ProductID: Int32] = [:]
        for (i, id) in modelled.enumerated() { index[id] = Int32(i) }

        var basketsOf: [UserID: Set<Int32>] = [:]
        for event in events where event.type == .purchase {
            if let i = index[event.productID] { basketsOf[event.userID, default: []].insert(i) }
        }
        // G = XᵀX + λI, lower triangle (the factorisation reads no more).
        var gram = [Float](repeating: 0, count: n * n)
        for items in basketsOf.values {
            let ordered: [Int] = items.map { Int($0) }.sorted()
            for position in ordered.indices {
                let row = ordered[position] * n
                gram[row + ordered[position]] += 1
                for earlier in 0..<position { gram[row + ordered[earlier]] += 1 }
            }
        }
        for i in 0..<n { gram[i * n + i] += configuration.lambda }
        guard SymmetricInverse.invertPositiveDefinite(&gram, n: n) else { return false }

        // B_ij = −P_ij / P_jj: row i is what buying i says of every j.
        var lists: [[(Int32, Float)]] = []
        lists.reserveCapacity(n)
        gram.withUnsafeBufferPointer { p in
            var diagonal = [Float](repeating: 0, count: n)
            for j in 0..<n { diagonal[j] = p[j * n + j] }
            for i in 0..<n {
                var heap = TopKHeap(capacity: configuration.neighboursPerItem)
                let row = i * n
                for j in 0..<n where j != i {
                    let weight = -p[row + j] / diagonal[j]
                    if weight > 0, !heap.isFull || weight > heap.minimum { heap.push(weight, Int32(j)) }
                }
                lists.append(heap.sortedDescending().map { ($0.ordinal, $0.score) })
            }
        }
        lock.lock()
        ordinals = index
        productIDs = modelled
        neighbours = lists
        lock.unlock()
        return true
    }

    /// `Σ_seeds weight · B_seed,j` over each seed's kept weights; products outside the model and
    /// seeds without weights add nothing.
    public func scores(seeds: [(productID: ProductID, weight: Float)]) -> [ProductID: Float] {
        lock.lock()
        defer { lock.unlock() }
        return SeedScores.sum(seeds, ordinals: ordinals, productIDs: productIDs, neighbours: { neighbours[Int($0)] })
    }

    /// The kept weights of one product, largest first (for tests and explain).
    public func neighbours(of productID: ProductID) -> [(productID: ProductID, weight: Float)] {
        lock.lock()
        defer { lock.unlock() }
        guard let i = ordinals[productID] else { return [] }
        return neighbours[Int(i)].map { (productIDs[Int($0.0)], $0.1) }
    }
}
