import Candidates
import Domain
import Foundation
import Logging
import NIOConcurrencyHelpers
import Storage

/// This replica's in-memory retrieval indexes, derived from PostgreSQL at start and kept current
/// by the events it ingests (and, across replicas, by the Redis event stream).
///
/// Every index is a stage-1 structure from `Candidates`; this type only feeds them and hands the
/// pipeline its sources. Popularity is the exception that lives in Redis (shared by replicas);
/// the in-memory copy here is the fallback when Redis is down.
public final class LiveIndexes: Sendable {
    /// The content index as served (`servingVectors`): exact search until an HNSW index is built
    /// or loaded, then that one.
    public let vectors: any ProductVectorIndex
    let servingVectors: ServingVectorIndex
    /// The kind the configuration asks for (what a build or a snapshot must give).
    let vectorIndexKind: VectorIndexKind
    public let basketCoPurchase: CoPurchaseIndex
    public let customerCoPurchase: CoPurchaseIndex
    public let similarUsers: SimilarUsersIndex
    public let popularity: PopularityIndex
    /// item2vec neighbours, trained from the interaction log at start when `trainsItem2Vec`
    /// (`ServiceConfiguration.item2vec`); not updated by later events until the next start.
    public let item2vec: Item2VecIndex
    let trainsItem2Vec: Bool
    /// The cart's learned basket weights, mixed with the basket index (`CoPurchaseSource`). Fitted
    /// on the purchases before the last daily boundary (`basketModelSchedule`), so every replica
    /// holds the same weights, and refitted when the next one passes (`BasketModelRefresher`);
    /// single events reach the cart through the live basket index meanwhile.
    public let basketEASE: EASEIndex
    let basketModelSchedule: RefitCutoff
    /// The boundary of the weights held (nil before the first fit).
    private let basketModelCutoff = NIOLockedValueBox<Date?>(nil)
    /// The shared decayed popularity lists (Redis, this replica's `popularity` when Redis is
    /// down): stage 1's popularity source and the trending route read the same lists.
    let popularityLists: RedisPopularitySource
    let catalog: LiveCatalog
    let redis: RedisClient
    let metrics: ServiceMetrics
    let logger: Logger

    package init(
        catalog: LiveCatalog, redis: RedisClient, metrics: ServiceMetrics, logger: Logger, dimension: Int = 384,
        vectorIndex: VectorIndexKind = .exact, item2vec: Bool = false, basketModelSchedule: RefitCutoff = RefitCutoff()
    ) {
        // Exact first whatever the kind: filling it is a copy per product, so content candidates
        // are served from the start while an HNSW index builds (`buildVectorIndexInBackground`).
        let serving = ServingVectorIndex(serving: VectorIndexKind.exact.makeIndex(dimension: dimension))
        self.servingVectors = serving
        self.vectors = serving
        self.vectorIndexKind = vectorIndex
        self.basketCoPurchase = CoPurchaseIndex(configuration: .baskets)
        self.customerCoPurchase = CoPurchaseIndex(configuration: .customers)
        self.similarUsers = SimilarUsersIndex(configuration: .homepage)
        self.popularity = PopularityIndex(configuration: .init(decay: PopularityDecay.shared))
        self.item2vec = Item2VecIndex()
        self.trainsItem2Vec = item2vec
        self.basketEASE = EASEIndex(configuration: .baskets)
        self.basketModelSchedule = basketModelSchedule
        self.popularityLists = RedisPopularitySource(redis: redis, fallback: popularity, catalog: catalog, metrics: metrics)
        self.catalog = catalog
        self.redis = redis
        self.metrics = metrics
        self.logger = logger
        let fittedUpTo = basketModelCutoff, basketEASE = basketEASE
        metrics.registerGauge("hybridrank_basket_model_fitted_up_to_timestamp_seconds") {
            fittedUpTo.withLockedValue { $0?.timeIntervalSince1970 ?? 0 }
        }
        metrics.registerGauge("hybridrank_basket_model_products") { Double(basketEASE.productCount) }
    }

    /// Stage 1 for the live service, in the order the scorer sees them. The item2vec source is
    /// asked only for requests whose δ is above 0 (`RecommendationPipeline.isBlended`).
    package func candidateSources() -> [any CandidateSource] {
        var sources: [any CandidateSource] = [
            ContentSource(index: vectors),
            CoPurchaseSource(basketIndex: basketCoPurchase, customerIndex: customerCoPurchase, basketEASE: basketEASE),
            SimilarUsersSource(index: similarUsers),
            popularityLists,
        ]
        if trainsItem2Vec { sources.append(Item2VecSource(index: item2vec)) }
        return sources
    }

    // MARK: - Query vectors

    func preferenceVector(history: [Interaction], now: Date) -> [Float]? {
        PreferenceVector.user(history: history, now: now, vectors: vectors)
    }

    func vector(for product: ProductID) -> [Float]? {
        vectors.vector(of: product)
    }

    func meanVector(of items: [ProductID]) -> [Float]? {
        PreferenceVector.cart(items, vectors: vectors)
    }

    // MARK: - Fill lists

    /// Popular products for refilling, padded with the newest products when popularity is short
    /// of available ones (a new shop, or one whose best-sellers were all deleted or sold out), so
    /// a cold-start list is never empty while the catalog has live products.
    func popularGlobal(limit: Int) -> [ProductID] {
        let snapshot = catalog.snapshot()
        var list = popularity.topIDs(limit * 2).filter { snapshot.facts($0)?.availability == .available }
        if list.count > limit { list.removeLast(list.count - limit) }
        if list.count < limit {
            let seen = Set(list)
            list += catalog.newestAvailable(limit: limit * 2).filter { !seen.contains($0) }.prefix(limit - list.count)
        }
        return list
    }

    /// Popular products of one category (the fill rule asks only when a list comes up short).
    func popular(inCategory category: String, limit: Int) -> [ProductID] {
        guard !category.isEmpty else { return [] }
        return popularity.topIDs(limit, category: category)
    }

    // MARK: - Updates

    /// Builds every index from the interaction log (time order) at start.
    func rebuild(from events: [Interaction]) {
        basketCoPurchase.rebuild(from: events, groupKey: { $0.basketKey })
        customerCoPurchase.rebuild(from: events, groupKey: { $0.userID })
        similarUsers.rebuild(from: events)
        popularity.rebuild(from: events, categoryOf: { self.catalog.product($0)?.category ?? "" })
        fitBasketModel(from: events, cutoff: basketModelSchedule.cutoff(at: Date()))
        if trainsItem2Vec {
            let start = ContinuousClock.now
            item2vec.rebuild(from: events)
            logger.info(
                "item2vec trained",
                metadata: ["products": "\(item2vec.embeddings.count)", "seconds": "\(start.duration(to: ContinuousClock.now))"])
        }
    }

    /// The boundary the basket weights were fitted up to (nil before the first fit).
    var basketModelFittedUpTo: Date? { basketModelCutoff.withLockedValue { $0 } }

    /// Fits the basket weights on the purchases in `events` before `cutoff` — the one place that
    /// rule is applied, read through without a copy (seconds of BLAS for a large catalog: callers
    /// run it on NIO's blocking pool).
    func fitBasketModel(from events: [Interaction], cutoff: Date) {
        let start = ContinuousClock.now
        let fitted = basketEASE.rebuild(from: events.lazy.filter { $0.occurredAt < cutoff }, groupKey: \.basketKey)
        if fitted { basketModelCutoff.withLockedValue { $0 = cutoff } }
        logger.info(
            fitted ? "basket model fitted" : "basket model fit failed; the previous weights stay",
            metadata: [
                "products": "\(basketEASE.productCount)", "up_to": "\(cutoff)",
                "seconds": "\(start.duration(to: ContinuousClock.now))",
            ])
    }

    /// Applies freshly accepted events (already durable in PostgreSQL).
    func apply(_ events: [Interaction]) {
        var baskets: [String: (items: [ProductID], time: Date)] = [:]
        for event in events {
            similarUsers.record(event)
            popularity.record(event, category: catalog.product(event.productID)?.category ?? "")
            guard event.type == .purchase else { continue }
            customerCoPurchase.add(group: event.userID, items: [event.productID], at: event.occurredAt)
            baskets[event.basketKey, default: ([], event.occurredAt)].items.append(event.productID)
        }
        for (basket, entry) in baskets {
            basketCoPurchase.add(basket: basket, items: entry.items, at: entry.time)
        }
    }

    func upsert(products: [Product], vectors newVectors: [[Float]]?) {
        for (index, product) in products.enumerated() {
            if let newVectors {
                vectors.upsert(product, vector: newVectors[index])
            } else if let existing = vectors.vector(of: product.id) {
                // Attributes (stock, price, category) changed; the vector did not.
                vectors.upsert(product, vector: existing)
            }
        }
    }

    func delete(_ id: ProductID) {
        vectors.delete(id)
    }
}
