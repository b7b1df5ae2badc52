import Foundation
import Logging
import Storage

/// What one replica serves from, shared by every request service and background job that reads
/// or updates it: the clients, the repositories of record, the live catalog and indexes built from
/// them, shopper state, the models, the event stream it shares writes with the other replicas on,
/// metrics and the log.
///
/// Built once by the composition root and handed whole to each service, so they all hold the same
/// instances and a service names only what is its own beside it.
package struct ReplicaState: Sendable {
    package let postgres: PostgresClient
    package let redis: RedisClient
    package let products: ProductRepository
    package let interactions: InteractionRepository
    package let catalog: LiveCatalog
    package let indexes: LiveIndexes
    package let shoppers: ShopperStateStore
    package let models: ModelRuntime
    /// Where this replica publishes accepted events and catalog writes, and hears the others'.
    package let stream: EventStreamTail
    /// Raised by `stream` when another replica wrote the catalog (read by `CatalogReconciler`).
    package let catalogChanges: CatalogChangeNotice
    package let metrics: ServiceMetrics
    package let logger: Logger

    /// The replica's state over `postgres` and `redis`, empty until `StateBootstrap` loads it;
    /// `configuration` chooses the vector index and item2vec, `models` are those
    /// `ModelRuntime.load` loaded. `tailRedis` is the stream's own client for its blocking read.
    package init(
        postgres: PostgresClient, redis: RedisClient, tailRedis: RedisClient, models: ModelRuntime,
        configuration: ServiceConfiguration, metrics: ServiceMetrics, logger: Logger
    ) {
        self.postgres = postgres
        self.redis = redis
        self.metrics = metrics
        self.logger = logger
        products = ProductRepository(postgres: postgres)
        interactions = InteractionRepository(postgres: postgres)
        catalog = LiveCatalog()
        indexes = LiveIndexes(
            catalog: catalog, redis: redis, metrics: metrics, logger: logger, vectorIndex: configuration.vectorIndex,
            item2vec: configuration.item2vec, basketModelSchedule: RefitCutoff(period: configuration.basketModelRefitPeriod))
        shoppers = ShopperStateStore(redis: redis, interactions: interactions, logger: logger)
        self.models = models
        catalogChanges = CatalogChangeNotice()
        stream = EventStreamTail(redis: redis, tailRedis: tailRedis, indexes: indexes, catalogChanges: catalogChanges, logger: logger)
    }
}
