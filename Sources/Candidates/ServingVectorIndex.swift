import Domain
import Foundation

/// The vector index the service searches, replaceable while it serves: exact search answers while
/// an HNSW index is built off the request path (or a saved one is read), and the new index takes
/// over with every write made meanwhile applied — so a replica never serves without content
/// candidates, and no write is lost in the swap.
///
/// Searches read the current index's reference under a short lock and search outside it.
/// Writes go to the current index at once (searchable on the next request) and, while a
/// replacement is pending, also into a log replayed into the replacement before it takes over.
public final class ServingVectorIndex: @unchecked Sendable, ProductVectorIndex {
    private enum Write {
        case upsert(Product, [Float])
        case delete(ProductID)
    }

    public let dimension: Int
    private let lock = NSLock()
    private var current: any ProductVectorIndex
    /// Writes since `beginReplacement`; nil when no replacement is pending.
    private var pendingWrites: [Write]?

    public init(serving index: any ProductVectorIndex) {
        dimension = index.dimension
        current = index
    }

    /// The index answering now.
    public var serving: any ProductVectorIndex { lock.withLock { current } }

    /// Whether a replacement is being built.
    public var isReplacing: Bool { lock.withLock { pendingWrites != nil } }

    public var count: Int { serving.count }

    public func search(_ query: [Float], k: Int, filter: ProductFilter, excluding: Set<ProductID>) -> [(productID: ProductID, score: Float)] {
        serving.search(query, k: k, filter: filter, excluding: excluding)
    }

    public func vector(of productID: ProductID) -> [Float]? { serving.vector(of: productID) }

    public func upsert(_ product: Product, vector: [Float]) {
        let index = lock.withLock {
            pendingWrites?.append(.upsert(product, vector))
            return current
        }
        index.upsert(product, vector: vector)
    }

    /// Writes into the current index only, not into a pending replacement's log: for a loader
    /// that fills the serving index with the very rows it then hands to the replacement's build.
    /// Logged, each of them would be held twice until the swap (a second copy of every vector of
    /// a large catalog) and replayed into a replacement that already has it, delaying the swap.
    public func upsertIntoCurrent(_ product: Product, vector: [Float]) {
        let index = lock.withLock { current }
        index.upsert(product, vector: vector)
    }

    public func delete(_ productID: ProductID) {
        let index = lock.withLock {
            pendingWrites?.append(.delete(productID))
            return current
        }
        index.delete(productID)
    }

    /// Starts logging writes for a replacement. Read the replacement's contents (the catalog's
    /// vectors, a snapshot) after this call: a write that lands in between is then in both.
    public func beginReplacement() {
        lock.withLock { if pendingWrites == nil { pendingWrites = [] } }
    }

    /// Replays the writes logged since `beginReplacement` into `replacement` and makes it the
    /// serving index. The log is drained in rounds outside the lock; only the last few writes are
    /// applied while holding it.
    public func completeReplacement(with replacement: any ProductVectorIndex) {
        precondition(replacement.dimension == dimension, "replacement dimension mismatch")
        while true {
            let batch: [Write] = lock.withLock {
                let batch = pendingWrites ?? []
                pendingWrites = []
                return batch
            }
            Self.apply(batch, to: replacement)
            if batch.count < 32 { break }
        }
        lock.withLock {
            Self.apply(pendingWrites ?? [], to: replacement)
            pendingWrites = nil
            current = replacement
        }
    }

    /// Drops a pending replacement (nothing was prepared after all); the current index serves on.
    public func cancelReplacement() {
        lock.withLock { pendingWrites = nil }
    }

    /// Builds a replacement with `make` on a thread of its own (it may take minutes: an HNSW build
    /// of a large catalog; the concurrency pool's few threads must not block that long) while the
    /// current index keeps serving, then swaps it in. The task finishes after the swap.
    @discardableResult
    public func replaceInBackground(_ make: @escaping @Sendable () -> any ProductVectorIndex) -> Task<Void, Never> {
        beginReplacement()
        return Task {
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                let thread = Thread { [self] in
                    completeReplacement(with: make())
                    done.resume()
                }
                thread.name = "vector-index-build"
                thread.start()
            }
        }
    }

    private static func apply(_ writes: [Write], to index: any ProductVectorIndex) {
        for write in writes {
            switch write {
            case .upsert(let product, let vector): index.upsert(product, vector: vector)
            case .delete(let id): index.delete(id)
            }
        }
    }
}
