import Domain
import Foundation

/// Item–item weights learned instead of counted: EASE (Steck, "Embarrassingly Shallow Autoencoders
/// for Sparse Data", WWW 2019), a linear model fitted to reproduce every group's purchases from its
/// other purchases — a customer's ("customers who bought this also bought") or a basket's ("bought
/// together"), as `CoPurchaseIndex` groups them.
///
/// With `X` the groups × products matrix of what each group bought (1 or 0) and `G = XᵀX`, the weights
/// minimising `‖X − XB‖² + λ‖B‖²` with a zero diagonal have the closed form
/// `B_ij = −P_ij / P_jj`, `P = (G + λI)⁻¹`. Where cosine kNN scores each pair on its own, the
/// regression discounts what two products share only through a third (a best-seller bought with
/// everything); alone it beat the customer co-occurrence on last year's autumn (docs/QUALITY.md).
///
/// The solve is O(n³) time and O(n²) memory, so only the `maxProducts` products in the most groups
/// are modelled; each keeps its `neighboursPerItem` largest positive weights, and a
/// shopper's scores are summed over those lists like `CoPurchaseIndex`'s (`SeedScores`). Not
/// updated by single events: `rebuild` refits from the history.
///
/// Served over baskets for the cart (`CoPurchaseSource.Configuration.cartEASEWeight`: above the
/// basket index alone on every backtest window); over customers for the homepage only a backtest
/// option (`hybridrank backtest --ease-weight`), which lost on the mean of the windows
/// (docs/QUALITY.md).
public final class EASEIndex: @unchecked Sendable {
    public struct Configuration: Sendable, Hashable {
        /// λ, the ridge penalty on the diagonal of `G` (Steck's data sets: hundreds).
        public var lambda: Float
        /// Products modelled, those in the most groups first.
        public var maxProducts: Int
        /// Positive weights kept per product.
        public var neighboursPerItem: Int

        public init(lambda: Float = 500, maxProducts: Int = 5_000, neighboursPerItem: Int = 100) {
            self.lambda = lambda
            self.maxProducts = maxProducts
            self.neighboursPerItem = neighboursPerItem
        }

        /// The cart's basket model as served: λ 30, the best of 30, 50 and 100 on the mean of the
        /// backtest windows (docs/QUALITY.md); at most 5,000 products, so a fit holds two n × n
        /// float buffers of at most 100 MB each.
        public static let baskets = Configuration(lambda: 30)
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

    /// Refits from the purchases in `events` (any order; other event types and purchases without a
    /// group are ignored), grouped by `groupKey` (`\.userID`: customers, `\.basketKey`: baskets).
    /// - Returns: false when the solve failed (the previous weights stay).
    @discardableResult
    public func rebuild(from events: some Collection<Interaction>, groupKey: (Interaction) -> String?) -> Bool {
        var buyers: [ProductID: Set<String>] = [:]
        for event in events where event.type == .purchase {
            if let group = groupKey(event) { buyers[event.productID, default: []].insert(group) }
        }
        var ranked: [(productID: ProductID, groups: Int)] = buyers.map { (productID: $0.key, groups: $0.value.count) }
        ranked.sort { (a: (productID: ProductID, groups: Int), b: (productID: ProductID, groups: Int)) -> Bool in
            a.groups != b.groups ? a.groups > b.groups : a.productID < b.productID
        }
        let modelled: [ProductID] = ranked.prefix(configuration.maxProducts).map { $0.productID }
        let n = modelled.count
        var index: [ProductID: Int32] = [:]
        for (i, id) in modelled.enumerated() { index[id] = Int32(i) }

        var groups: [String: Set<Int32>] = [:]
        for event in events where event.type == .purchase {
            if let i = index[event.productID], let group = groupKey(event) { groups[group, default: []].insert(i) }
        }
        // G = XᵀX + λI, lower triangle (the factorisation reads no more).
        var gram = [Float](repeating: 0, count: n * n)
        for items in groups.values {
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
