import Domain
import Foundation

/// item2vec (Barkan and Koenigstein, 2016): skip-gram with negative sampling (Mikolov et al., 2013)
/// over the shop's own purchase sequences, so that products bought in the same baskets and by the
/// same shoppers get nearby vectors even when they rarely co-occur directly.
///
/// Single-threaded on purpose: with one generator (`SplitMix64`, seeded) and a fixed order of
/// updates, the same corpus and seed give bit-identical vectors in every process, so a replica
/// that trains at start serves what the backtest measured. The catalog is small (thousands of
/// products, vectors of a few dozen floats), so an epoch over a year of purchases takes seconds.
public enum Item2VecTrainer {
    public struct Configuration: Sendable, Hashable {
        /// Vector length.
        public var dimensions: Int
        /// Largest distance between a product and its context in a sequence; each position
        /// draws its window from 1...window (word2vec's dynamic window: near items count more).
        public var window: Int
        /// Negative samples per (product, context) pair, drawn ∝ count^0.75.
        public var negatives: Int
        public var epochs: Int
        /// Starting learning rate, decayed linearly to 0.01% of it over the run.
        public var learningRate: Float
        /// Products seen fewer times get no vector (too little evidence to place them).
        public var minCount: Int
        /// Frequent products are dropped from a pass with probability 1 − (√(f/t) + 1)·t/f
        /// (f = the product's share of all occurrences): best-sellers stop dominating every
        /// context. 0 turns it off.
        public var subsampling: Double
        public var seed: UInt64

        public init(
            dimensions: Int = 32, window: Int = 5, negatives: Int = 5, epochs: Int = 5, learningRate: Float = 0.025,
            minCount: Int = 2, subsampling: Double = 1e-3, seed: UInt64 = 0
        ) {
            self.dimensions = dimensions
            self.window = window
            self.negatives = negatives
            self.epochs = epochs
            self.learningRate = learningRate
            self.minCount = minCount
            self.subsampling = subsampling
            self.seed = seed
        }
    }

    /// One training sequence: products in order, or a set (a basket) whose order is drawn anew
    /// every epoch, so no product is always at the edge of its basket.
    public struct Sequence: Sendable, Hashable {
        public var items: [ProductID]
        public var isUnordered: Bool

        public init(items: [ProductID], isUnordered: Bool) {
            self.items = items
            self.isUnordered = isUnordered
        }
    }

    /// Trains vectors on `sequences` and returns them unit-normalised (cosine = dot product).
    public static func train(_ sequences: [Sequence], configuration: Configuration = Configuration()) -> Item2VecEmbeddings {
        let dimension = max(1, configuration.dimensions)
        // Vocabulary: products with at least minCount occurrences, in id order (deterministic).
        var counts: [ProductID: Int] = [:]
        for sequence in sequences { for item in sequence.items { counts[item, default: 0] += 1 } }
        let vocabulary = counts.filter { $0.value >= max(1, configuration.minCount) }.keys.sorted()
        guard vocabulary.count >= 2 else { return Item2VecEmbeddings(productIDs: [], dimension: dimension, vectors: []) }
        let ordinal = Dictionary(uniqueKeysWithValues: vocabulary.enumerated().map { ($0.element, Int32($0.offset)) })
        let corpus: [(items: [Int32], isUnordered: Bool)] = sequences.compactMap { sequence in
            let items = sequence.items.compactMap { ordinal[$0] }
            return items.count >= 2 ? (items, sequence.isUnordered) : nil
        }
        let frequency = vocabulary.map { Double(counts[$0]!) }
        let total = frequency.reduce(0, +)
        let keep: [Double] = frequency.map { count in
            guard configuration.subsampling > 0 else { return 1 }
            let share = count / total, t = configuration.subsampling
            return min(1, ((share / t).squareRoot() + 1) * t / share)
        }
        let noise = NoiseTable(frequency: frequency)

        var random = SplitMix64(seed: configuration.seed)
        let n = vocabulary.count
        // Input vectors start small and random, output vectors at zero (word2vec's start).
        var input = (0..<(n * dimension)).map { _ in Float(random.unitDouble() - 0.5) / Float(dimension) }
        var output = [Float](repeating: 0, count: n * dimension)
        var gradient = [Float](repeating: 0, count: dimension)

        let plannedPositions = Double(max(1, corpus.reduce(0) { $0 + $1.items.count } * max(1, configuration.epochs)))
        var seenPositions = 0.0
        var order = Array(corpus.indices)
        var working: [Int32] = []
        for _ in 0..<max(0, configuration.epochs) {
            order.shuffle(using: &random)
            for index in order {
                let sequence = corpus[index]
                working.removeAll(keepingCapacity: true)
                for item in sequence.items where keep[Int(item)] >= 1 || random.unitDouble() < keep[Int(item)] {
                    working.append(item)
                }
                seenPositions += Double(sequence.items.count)
                guard working.count >= 2 else { continue }
                if sequence.isUnordered { working.shuffle(using: &random) }
                let progress = Float(min(1, seenPositions / plannedPositions))
                let rate = configuration.learningRate * max(1e-4, 1 - progress)
                input.withUnsafeMutableBufferPointer { inputVectors in
                    output.withUnsafeMutableBufferPointer { outputVectors in
                        gradient.withUnsafeMutableBufferPointer { gradientBuffer in
                            let inBase = inputVectors.baseAddress!, outBase = outputVectors.baseAddress!
                            let g = gradientBuffer.baseAddress!
                            for position in working.indices {
                                let reach = 1 + Int(random.next() % UInt64(max(1, configuration.window)))
                                let lower = max(0, position - reach), upper = min(working.count - 1, position + reach)
                                let center = Int(working[position])
                                for other in lower...upper where other != position {
                                    let context = inBase + Int(working[other]) * dimension
                                    for d in 0..<dimension { g[d] = 0 }
                                    // One positive (the centre product) and `negatives` noise products.
                                    for sample in 0...configuration.negatives {
                                        let target: Int
                                        let label: Float
                                        if sample == 0 {
                                            target = center
                                            label = 1
                                        } else {
                                            target = noise.draw(&random)
                                            if target == center { continue }
                                            label = 0
                                        }
                                        let weights = outBase + target * dimension
                                        var dot: Float = 0
                                        for d in 0..<dimension { dot += context[d] * weights[d] }
                                        let step = (label - sigmoid(dot)) * rate
                                        for d in 0..<dimension {
                                            g[d] += step * weights[d]
                                            weights[d] += step * context[d]
                                        }
                                    }
                                    for d in 0..<dimension { context[d] += g[d] }
                                }
                            }
                        }
                    }
                }
            }
        }
        return Item2VecEmbeddings(productIDs: vocabulary, dimension: dimension, vectors: input)
    }

    /// The training sequences of a purchase history: every basket (as a set) and every shopper's
    /// purchases in time order (the newest `maxShopperLength`: wholesale buyers with thousands of
    /// lines would otherwise dominate the corpus).
    public static func sequences(from interactions: [Interaction], maxShopperLength: Int = 400) -> [Sequence] {
        var baskets: [String: [ProductID]] = [:]
        var shoppers: [UserID: [(time: Date, productID: ProductID)]] = [:]
        for event in interactions where event.type == .purchase {
            if let basket = event.basketID { baskets[basket, default: []].append(event.productID) }
            shoppers[event.userID, default: []].append((event.occurredAt, event.productID))
        }
        var result: [Sequence] = []
        for key in baskets.keys.sorted() {
            var seen = Set<ProductID>()
            let items = baskets[key]!.sorted().filter { seen.insert($0).inserted }
            result.append(Sequence(items: items, isUnordered: true))
        }
        for key in shoppers.keys.sorted() {
            var events = shoppers[key]!
            events.sort { $0.time != $1.time ? $0.time < $1.time : $0.productID < $1.productID }
            var items: [ProductID] = []
            for event in events where items.last != event.productID { items.append(event.productID) }
            result.append(Sequence(items: Array(items.suffix(maxShopperLength)), isUnordered: false))
        }
        return result
    }

    @inline(__always)
    private static func sigmoid(_ x: Float) -> Float {
        if x > 6 { return 1 }
        if x < -6 { return 0 }
        return 1 / (1 + Foundation.exp(-x))
    }

    /// word2vec's unigram table: product ordinals repeated ∝ count^0.75, so a draw is one index.
    private struct NoiseTable {
        let table: [Int32]

        init(frequency: [Double]) {
            let powered = frequency.map { pow($0, 0.75) }
            let sum = powered.reduce(0, +)
            let size = max(1_000_000, frequency.count * 100)
            var table: [Int32] = []
            table.reserveCapacity(size)
            var cumulative = 0.0
            for (index, weight) in powered.enumerated() {
                cumulative += weight / sum
                let end = index == powered.count - 1 ? size : min(size, Int((cumulative * Double(size)).rounded()))
                while table.count < end { table.append(Int32(index)) }
            }
            self.table = table
        }

        @inline(__always)
        func draw(_ random: inout SplitMix64) -> Int {
            Int(table[Int(random.next() % UInt64(table.count))])
        }
    }
}
