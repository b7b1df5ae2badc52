import Candidates
import Domain
import Experiments
import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOPosix
import Storage

/// Loads this replica's derived state from PostgreSQL: the catalog, the embeddings of the loaded
/// bi-encoder's version, the interaction log (into the retrieval indexes), the experiments and
/// the widget settings.
/// Runs once before serving; if PostgreSQL is down then, the refresher retries until it succeeds.
package final class StateBootstrap: Sendable {
    let replica: ReplicaState
    let experiments: PostgresExperimentStore
    let router: ExperimentRouter
    let widgetSettings: PostgresWidgetSettingsStore
    let widgetTable: WidgetSettingsTable
    /// The saved content index to start from (nil: build from the embeddings in PostgreSQL).
    let vectorSnapshotPath: String?
    private let loaded = NIOLockedValueBox(false)
    /// Up to when the loaded content index is complete, until the reconciler takes it to catch up
    /// from there: the watermark of the snapshot it was loaded from, or the database's clock when
    /// the load began reading the catalog and embeddings it was built from.
    private let startWatermark = NIOLockedValueBox<(date: Date, fromSnapshot: Bool)?>(nil)

    package init(
        replica: ReplicaState, experiments: PostgresExperimentStore, router: ExperimentRouter,
        widgetSettings: PostgresWidgetSettingsStore, widgetTable: WidgetSettingsTable, vectorSnapshotPath: String? = nil
    ) {
        self.replica = replica
        self.experiments = experiments
        self.router = router
        self.widgetSettings = widgetSettings
        self.widgetTable = widgetTable
        self.vectorSnapshotPath = vectorSnapshotPath
    }

    var isLoaded: Bool { loaded.withLockedValue { $0 } }

    /// The loaded index's catalog watermark, once (the reconciler's first round starts there).
    func takeStartWatermark() -> (date: Date, fromSnapshot: Bool)? {
        startWatermark.withLockedValue { value in
            defer { value = nil }
            return value
        }
    }

    /// Loads everything unless already loaded; logs and returns false when PostgreSQL is down.
    @discardableResult
    package func loadIfPossible() async -> Bool {
        if isLoaded { return true }
        do {
            let clock = ContinuousClock()
            let start = clock.now
            // Writes from here on are logged for the index that replaces the exact one (a
            // snapshot, an HNSW build), so none lands between reading the catalog and the swap.
            replica.indexes.servingVectors.beginReplacement()
            // Before the first read: a write committed while the load reads is applied by the
            // reconciler's first round (a load of a large catalog takes minutes).
            let readFrom = try await replica.products.databaseNow()
            let all = try await replica.products.all()
            replica.catalog.upsert(all)
            var embedded = 0
            var complete = (date: readFrom, fromSnapshot: false)
            if let version = replica.models.modelVersions["bi_encoder"] {
                if let path = vectorSnapshotPath, let watermark = replica.indexes.loadVectorSnapshot(from: path, modelVersion: version) {
                    // The reconciler applies what changed after the watermark: no embedding read.
                    complete = (watermark, true)
                    embedded = replica.indexes.vectors.count
                    replica.logger.info("vector index loaded from its snapshot", metadata: ["products": "\(embedded)", "watermark": "\(watermark)"])
                } else {
                    let vectors = try await replica.products.embeddings(modelVersion: version)
                    var batch: [(product: Product, vector: [Float])] = []
                    for product in all where product.deletedAt == nil {
                        if let vector = vectors[product.id] {
                            // Served exactly until the build below swaps in; not logged for it,
                            // since the batch holds the same rows.
                            replica.indexes.servingVectors.upsertIntoCurrent(product, vector: vector)
                            batch.append((product, vector))
                            embedded += 1
                        }
                    }
                    replica.indexes.buildVectorIndexInBackground(batch)
                }
            } else {
                replica.indexes.servingVectors.cancelReplacement()
            }
            startWatermark.withLockedValue { $0 = complete }
            var events: [Interaction] = []
            try await replica.interactions.forEachPage { page in events.append(contentsOf: page) }
            // Sorting and indexing a large shop's history is seconds of CPU: on NIO's blocking
            // pool, not on the cooperative pool the requests run on (this also runs while
            // serving, when PostgreSQL was down at start and the refresher loads the state later).
            // The box hands the one copy of the events over, so they are sorted in place.
            let eventCount = events.count, indexes = replica.indexes
            let history = NIOLockedValueBox(events)
            events = []
            try await NIOThreadPool.singleton.runIfActive {
                history.withLockedValue { history in
                    history.sort { $0.occurredAt < $1.occurredAt }
                    indexes.rebuild(from: history)
                }
            }
            await seedRedisPopularityIfLost()
            router.replace(with: try await experiments.loadExperiments())
            loaded.withLockedValue { $0 = true }
            await refreshWidgetSettings()
            replica.logger.info(
                "state loaded",
                metadata: [
                    "products": "\(all.count)", "embedded": "\(embedded)", "events": "\(eventCount)",
                    "seconds": "\(start.duration(to: clock.now))",
                ])
            return true
        } catch {
            replica.logger.warning("PostgreSQL unavailable at start; serving without history until it answers", metadata: ["error": "\(error)"])
            return false
        }
    }

    /// Re-reads the experiments and the widget settings (every replica converges within the
    /// refresh interval); on failure the replica keeps what it has.
    func refreshSettings() async {
        do {
            router.replace(with: try await experiments.loadExperiments())
        } catch {
            replica.logger.debug("experiment refresh failed", metadata: ["error": "\(error)"])
        }
        await refreshWidgetSettings()
        await seedRedisPopularityIfLost()
    }

    /// Widget settings are read on their own: a database not yet migrated to their table (a
    /// binary started before `hybridrank migrate`) leaves the widgets on the built-in defaults
    /// instead of failing the whole state load.
    private func refreshWidgetSettings() async {
        do {
            widgetTable.replace(with: try await widgetSettings.load())
        } catch {
            replica.logger.debug("widget settings refresh failed", metadata: ["error": "\(error)"])
        }
    }

    /// A Redis that lost the popularity lists (a new deployment, a restart without persistence, a
    /// flush) gets them back from this replica's own index (built from PostgreSQL's log at start
    /// and kept current by every event since), so no replica serves trending lists rebuilt from
    /// the few purchases since the loss. The loss is told by the generation marker, which the
    /// lists' seeding sets and which disappears with them; the first replica to find it missing
    /// (`SET … NX`) reseeds, the others see the new marker. Called at start and on every refresh.
    private func seedRedisPopularityIfLost() async {
        let generation = String(Int(Date().timeIntervalSince1970))
        guard let reply = try? await replica.redis.command(["SET", RedisKeys.popularityGeneration, generation, "NX"]),
            reply.string == "OK"
        else { return }
        let now = Date()
        var commands: [[String]] = []
        let global = replica.indexes.popularity.top(5000, now: now)
        if !global.isEmpty {
            commands.append(
                ["ZADD", RedisKeys.popularityGlobal]
                    + global.flatMap { [String(PopularityDecay.shared.increment(weight: $0.score, at: now)), $0.productID] })
        }
        var byCategory: [String: [(String, Double)]] = [:]
        for entry in global {
            guard let category = replica.catalog.product(entry.productID)?.category, !category.isEmpty else { continue }
            byCategory[category, default: []].append((entry.productID, entry.score))
        }
        for (category, entries) in byCategory {
            commands.append(
                ["ZADD", RedisKeys.popularity(category: category)]
                    + entries.flatMap { [String(PopularityDecay.shared.increment(weight: $0.1, at: now)), $0.0] })
        }
        if !commands.isEmpty { _ = try? await replica.redis.pipeline(commands) }
        replica.logger.info("popularity lists seeded into Redis", metadata: ["products": "\(global.count)", "generation": "\(generation)"])
    }

    /// Refits the cart's basket weights when a `RefitCutoff` boundary has passed since their last
    /// fit: reads the purchases from PostgreSQL and fits on NIO's blocking pool. A failed read
    /// keeps the old weights; the next look retries.
    func refitBasketModelIfDue() async {
        guard isLoaded else { return }
        let indexes = replica.indexes
        let cutoff = indexes.basketModelSchedule.cutoff(at: Date())
        guard indexes.basketModelFittedUpTo != cutoff else { return }
        do {
            var purchases: [Interaction] = []
            try await replica.interactions.forEachPage { page in purchases.append(contentsOf: page.lazy.filter { $0.type == .purchase }) }
            let history = purchases
            try await NIOThreadPool.singleton.runIfActive { indexes.fitBasketModel(from: history, cutoff: cutoff) }
        } catch {
            replica.logger.warning("basket model not refitted; retrying", metadata: ["error": "\(error)"])
        }
    }
}
