import Candidates
import Domain
import Foundation
import Logging
import NIOPosix
import ServiceLifecycle

/// Keeps this replica's live catalog and vector index in step with catalog writes made on other
/// replicas (upserts, stock changes, deletes, new embeddings), so every replica behind a load
/// balancer serves the same catalog.
///
/// A replica that writes the catalog publishes a nudge on the event stream; the others read at
/// once when it arrives, and in any case every `interval`: it reads from PostgreSQL — the source of truth — what changed since its
/// watermark (`products.updated_at`, `product_embeddings.updated_at`, both indexed) and applies
/// the rows that differ from what it serves. The watermark is kept on the database's clock and
/// re-reads a `margin` before it, so a write stamped by a replica whose clock runs behind, or a
/// transaction that committed late, is still picked up; re-reading a row that is already applied
/// changes nothing. A replica that missed changes (a restart, a network partition) catches up
/// the same way: there is no message to miss.
package struct CatalogReconciler: Service {
    /// Loaded the state this keeps in step (`replica`), and holds the watermark to start from.
    let bootstrap: StateBootstrap
    /// Seconds between reads; the bound on how stale another replica's write can be here when
    /// its published nudge was lost (Redis down).
    let interval: Double
    /// Seconds re-read before the watermark (clock skew between replicas and late commits).
    let margin: Double
    /// Where the content index is saved with the watermark (nil: never), and how often; it is
    /// also saved when the service stops.
    let snapshotPath: String?
    let snapshotInterval: Double

    package init(
        bootstrap: StateBootstrap, interval: Double, margin: Double, snapshotPath: String? = nil, snapshotInterval: Double = 600
    ) {
        self.bootstrap = bootstrap
        self.interval = interval
        self.margin = margin
        self.snapshotPath = snapshotPath
        self.snapshotInterval = snapshotInterval
    }

    /// The replica's catalog, indexes and models, as the bootstrap loaded them.
    var replica: ReplicaState { bootstrap.replica }

    package func run() async throws {
        var watermark: Date?
        var catchingUp = false
        var lastSave = Date()
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            // In short steps, so a published change is read within one step.
            var waited = 0.0
            while waited < interval, !replica.catalogChanges.take(), !Task.isShuttingDownGracefully {
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .milliseconds(20)) }
                waited += 0.02
            }
            guard bootstrap.isLoaded else { continue }
            if watermark == nil, let start = bootstrap.takeStartWatermark() {
                // Catch up from where the loaded state is complete; from a snapshot, every row
                // changed since must reach the index (its attributes may be older than the catalog).
                watermark = start.date
                catchingUp = start.fromSnapshot
            }
            do {
                watermark = try await reconcile(since: watermark, indexEverything: catchingUp)
                catchingUp = false
                if let watermark, Date().timeIntervalSince(lastSave) >= snapshotInterval {
                    await saveSnapshot(watermark: watermark)
                    lastSave = Date()
                }
            } catch {
                replica.logger.debug("catalog reconciliation failed; retrying", metadata: ["error": "\(error)"])
            }
        }
        if let watermark, !catchingUp { await saveSnapshot(watermark: watermark) }
    }

    /// Saves the content index with `watermark` on NIO's blocking pool, the pool made for file I/O
    /// (a large index is seconds of disk writes, which must not hold a cooperative-pool thread).
    func saveSnapshot(watermark: Date) async {
        guard let snapshotPath, let modelVersion = replica.models.modelVersions["bi_encoder"] else { return }
        let indexes = replica.indexes
        do {
            try await NIOThreadPool.singleton.runIfActive {
                try indexes.saveVectorSnapshot(to: snapshotPath, modelVersion: modelVersion, watermark: watermark)
            }
        } catch {
            replica.logger.warning("vector index snapshot not saved", metadata: ["error": "\(error)"])
        }
    }

    /// One round: applies what changed after `since` (minus the margin), returns the new watermark.
    /// The first round starts where the start-up load began reading (`StateBootstrap`); without
    /// any watermark it re-reads the last minute.
    /// With `indexEverything` (catching up a content index loaded from a snapshot, whose
    /// attributes may be older than the catalog loaded at start) every changed row reaches the
    /// index, not only those the catalog did not have.
    @discardableResult
    func reconcile(since: Date?, indexEverything: Bool = false) async throws -> Date {
        let now = try await replica.products.databaseNow()
        let from = (since ?? now.addingTimeInterval(-60)).addingTimeInterval(-margin)
        let changed = try await replica.products.changed(since: from).filter { product in
            guard !indexEverything, let served = replica.catalog.product(product.id) else { return true }
            return !Self.sameServing(served, product)
        }
        if !changed.isEmpty {
            replica.catalog.upsert(changed)
            for product in changed {
                if product.deletedAt != nil {
                    replica.indexes.delete(product.id)
                } else {
                    // Attributes (stock, price, category) now; the vector when its embedding is read.
                    replica.indexes.upsert(products: [product], vectors: nil)
                }
            }
        }
        if let modelVersion = replica.models.modelVersions["bi_encoder"] {
            var products: [Product] = []
            var vectors: [[Float]] = []
            for (id, vector) in try await replica.products.embeddingsChanged(since: from, modelVersion: modelVersion) {
                guard let product = replica.catalog.product(id), product.deletedAt == nil,
                    replica.indexes.vectors.vector(of: id) != vector
                else { continue }
                products.append(product)
                vectors.append(vector)
            }
            if !products.isEmpty { replica.indexes.upsert(products: products, vectors: vectors) }
        }
        return now
    }

    /// Whether two versions of a product serve the same: every field, times to the millisecond
    /// (PostgreSQL keeps microseconds, a replica's `Date` more).
    static func sameServing(_ a: Product, _ b: Product) -> Bool {
        func ms(_ date: Date?) -> Int64? { date.map { Int64(($0.timeIntervalSince1970 * 1000).rounded()) } }
        return a.id == b.id && a.name == b.name && a.description == b.description && a.category == b.category
            && a.price == b.price && a.currency == b.currency && a.stockQuantity == b.stockQuantity
            && a.inStock == b.inStock && a.promoted == b.promoted && ms(a.createdAt) == ms(b.createdAt)
            && ms(a.updatedAt) == ms(b.updatedAt) && ms(a.deletedAt) == ms(b.deletedAt)
    }
}
