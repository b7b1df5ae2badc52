import Domain
import Foundation

/// item2vec neighbours of every product: trained from a purchase history (`Item2VecTrainer`),
/// each product's nearest products by cosine kept, so a request sums a few short lists, as the
/// co-purchase index does, instead of scanning the catalog.
///
/// `rebuild(from:)` trains and swaps the whole state at once; a request in flight reads the
/// state it found. Training is CPU work of seconds: call it off the event loops.
public final class Item2VecIndex: @unchecked Sendable {
    public struct Configuration: Sendable, Hashable {
        public var training: Item2VecTrainer.Configuration
        /// Neighbours kept per product.
        public var neighboursPerItem: Int
        /// Neighbour cosines below this do not count (unrelated products sit near 0).
        public var minimumCosine: Float
        /// Cosines are raised to this power before seeds are summed (above 1: one close
        /// neighbour outweighs several loose ones).
        public var exponent: Float

        public init(
            training: Item2VecTrainer.Configuration = Item2VecTrainer.Configuration(), neighboursPerItem: Int = 20,
            minimumCosine: Float = 0, exponent: Float = 1
        ) {
            self.training = training
            self.neighboursPerItem = neighboursPerItem
            self.minimumCosine = minimumCosine
            self.exponent = exponent
        }
    }

    private struct State {
        var embeddings: Item2VecEmbeddings
        var neighbours: [[(ordinal: Int32, score: Float)]]
    }

    public let configuration: Configuration
    private let lock = NSLock()
    private var state: State

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        state = State(embeddings: Item2VecEmbeddings(productIDs: [], dimension: configuration.training.dimensions, vectors: []), neighbours: [])
    }

    /// Trains on `events`' purchases (baskets and shopper sequences) and replaces the state.
    public func rebuild(from events: [Interaction]) {
        let sequences = Item2VecTrainer.sequences(from: events)
        replace(with: Item2VecTrainer.train(sequences, configuration: configuration.training))
    }

    /// Replaces the vectors (and their neighbour lists) with `embeddings`.
    public func replace(with embeddings: Item2VecEmbeddings) {
        let neighbours = embeddings.nearestNeighbours(limit: configuration.neighboursPerItem).map { list in
            list.filter { $0.score > configuration.minimumCosine }
        }
        lock.withLock { state = State(embeddings: embeddings, neighbours: neighbours) }
    }

    public var embeddings: Item2VecEmbeddings { lock.withLock { state.embeddings } }

    /// The product's nearest products, best first.
    public func neighbours(of productID: ProductID, limit: Int? = nil) -> [(productID: ProductID, score: Float)] {
        let state = lock.withLock { self.state }
        guard let ordinal = state.embeddings.ordinal(of: productID) else { return [] }
        return state.neighbours[Int(ordinal)].prefix(limit ?? .max).map { (state.embeddings.productIDs[Int($0.ordinal)], $0.score) }
    }

    /// Σ over seeds of weight × cosine^exponent, over each seed's neighbour list.
    public func scores(seeds: [(productID: ProductID, weight: Float)]) -> [ProductID: Float] {
        let state = lock.withLock { self.state }
        var result: [ProductID: Float] = [:]
        for seed in seeds {
            guard let ordinal = state.embeddings.ordinal(of: seed.productID) else { continue }
            for neighbour in state.neighbours[Int(ordinal)] {
                let similarity = configuration.exponent == 1 ? neighbour.score : pow(neighbour.score, configuration.exponent)
                result[state.embeddings.productIDs[Int(neighbour.ordinal)], default: 0] += seed.weight * similarity
            }
        }
        return result
    }
}
