import Candidates
import Domain
import Engine
import Foundation
import Hummingbird
import Logging
import Ranking
import Rerank
import Scoring
import ServiceLifecycle
import Storage

/// The composition root: builds every part of the service from one `ServiceConfiguration` and
/// runs the long-lived parts (database pools, exposure writer, experiment refresher, event
/// stream tail, HTTP server) in one `ServiceGroup`, which shuts them down in reverse order on
/// SIGTERM/SIGINT.
public enum HybridRankApplication {
    public static func makeApplication(
        configuration: ServiceConfiguration, logger: Logger
    ) async throws -> some ApplicationProtocol {
        let metrics = ServiceMetrics()
        let postgres = PostgresClient(
            configuration: PostgresConfiguration(
                url: configuration.databaseURL, poolSize: configuration.postgresPoolSize,
                searchPath: configuration.databaseSchema))
        let redis = try RedisClient(
            configuration: RedisConfiguration(url: configuration.redisURL, poolSize: configuration.redisPoolSize))

        // API keys first: a public address with no key refuses to start before loading the models.
        // PostgreSQL down here leaves the table unknown (routes that may need a key answer 503)
        // until the refresher reads it.
        let keyRepository = APIKeyRepository(postgres: postgres)
        let keyTable = APIKeyTable(
            mayOpen: configuration.access.allowOpen || OpenModeRefusal.isLoopback(configuration.host))
        do {
            let records = try await keyRepository.all()
            if records.isEmpty && !configuration.access.allowOpen && !OpenModeRefusal.isLoopback(configuration.host) {
                await postgres.close()
                await redis.close()
                throw OpenModeRefusal(host: configuration.host)
            }
            keyTable.install(records)
        } catch let error as OpenModeRefusal {
            throw error
        } catch {
            logger.warning("api keys not read at start; routes that need a key answer 503 until they are", metadata: ["error": "\(error)"])
        }
        let replica = ReplicaState(
            postgres: postgres, redis: redis,
            tailRedis: try RedisClient(configuration: RedisConfiguration(url: configuration.redisURL, poolSize: 1)),
            models: await ModelRuntime.load(configuration: configuration, logger: logger),
            configuration: configuration, metrics: metrics, logger: logger)
        let models = replica.models, catalog = replica.catalog, indexes = replica.indexes
        let experimentStore = PostgresExperimentStore(postgres: postgres)
        let experimentRouter = ExperimentRouter()
        let widgetSettingsStore = PostgresWidgetSettingsStore(postgres: postgres)
        let widgetSettings = WidgetSettingsTable(base: configuration.pipeline)
        let exposures = ExposureWriter(
            postgres: postgres, batchSize: configuration.exposureBatchSize,
            flushInterval: configuration.exposureFlushInterval,
            spool: configuration.spoolDirectory.map(ExposureSpool.init(directory:)), metrics: metrics, logger: logger)
        metrics.registerGauge("hybridrank_exposure_queue_depth") { Double(exposures.pending) }
        metrics.registerGauge("hybridrank_exposure_queue_oldest_age_seconds") { exposures.oldestPendingAge }

        // Load the catalog, embeddings and interaction history; a PostgreSQL outage here leaves
        // the replica serving popularity until the refresher loads it.
        let bootstrap = StateBootstrap(
            replica: replica, experiments: experimentStore, router: experimentRouter, widgetSettings: widgetSettingsStore,
            widgetTable: widgetSettings, vectorSnapshotPath: configuration.vectorSnapshotPath)
        await bootstrap.loadIfPossible()

        var reranker: CrossEncoderReranker?
        if let crossEncoder = models.crossEncoder {
            var scoreCache: any RerankScoreCache = RedisRerankScoreCache(
                redis: redis, ttlSeconds: configuration.rerankCacheTTL, metrics: metrics)
            if configuration.rerankLocalCacheEntries > 0 {
                let local = InMemoryRerankScoreCache(
                    capacity: configuration.rerankLocalCacheEntries, ttlSeconds: Double(configuration.rerankCacheTTL))
                scoreCache = TieredRerankScoreCache(local: local, shared: scoreCache, metrics: metrics)
            }
            reranker = CrossEncoderReranker(
                scorer: CrossEncoderPairScorer(encoder: crossEncoder, executor: { job in try await models.run(job) }),
                catalog: catalog, cache: scoreCache)
        }
        let pipeline = RecommendationPipeline(
            sources: indexes.candidateSources(), scorer: BlendedScorer(), reranker: reranker)

        let results = ExperimentResultsService(postgres: postgres, attributionWindowSeconds: configuration.attributionWindow)
        let services = ServiceBundle(
            configuration: configuration, metrics: metrics, catalog: catalog,
            recommendations: RecommendationService(
                replica: replica, experiments: experimentRouter, widgetSettings: widgetSettings, pipeline: pipeline,
                exposures: exposures),
            products: ProductService(replica: replica),
            events: EventService(replica: replica),
            experiments: ExperimentService(store: experimentStore, router: experimentRouter, results: results),
            widgetSettings: WidgetSettingsService(
                store: widgetSettingsStore, table: widgetSettings, maximumLimit: configuration.maximumLimit,
                experiments: experimentRouter),
            health: HealthService(
                replica: replica, exposures: exposures, exposureQueueAgeWarning: configuration.exposureQueueAgeWarning))

        let router = Router(context: APIRequestContext.self)
        // Access log lines carry `hb.request.id` (the response's `request_id`); at debug level so
        // a busy replica logs only errors unless asked (`serve --log-level debug`).
        router.add(middleware: LogRequestsMiddleware(.debug))
        router.add(middleware: MetricsRecordingMiddleware(metrics: metrics))
        // CORS outside the access checks, so a browser can read a 401 or 429 too.
        router.add(middleware: BrowserCORSMiddleware(origins: configuration.access.corsOrigins, maxAge: configuration.access.corsMaxAge))
        router.add(
            middleware: AccessControlMiddleware(
                keys: keyTable,
                limiter: RateLimiter(
                    redis: redis, retryInterval: configuration.access.rateLimits.redisRetryInterval, metrics: metrics, logger: logger),
                configuration: configuration.access, metrics: metrics))
        router.add(middleware: InternalErrorMiddleware())
        APIRoutes(services: services).register(on: router)
        assert(
            OpenAPIDocument.undocumented(router.routes).isEmpty,
            "routes missing from /openapi.json: \(OpenAPIDocument.undocumented(router.routes))")

        var app = Application(
            router: router,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "hybridrank"),
            eventLoopGroupProvider: .shared(HTTPEventLoops.group(threads: configuration.httpThreads)),
            logger: logger)
        app.addServices(
            postgres, redis, models, exposures, replica.stream,
            PerformanceRollupService(
                results: results, windowSeconds: configuration.attributionWindow,
                interval: configuration.rollupInterval, logger: logger),
            ExperimentRefresher(bootstrap: bootstrap, interval: configuration.experimentRefreshInterval),
            BasketModelRefresher(bootstrap: bootstrap, refitPeriod: configuration.basketModelRefitPeriod),
            CatalogReconciler(
                bootstrap: bootstrap, interval: configuration.catalogSyncInterval,
                margin: configuration.catalogSyncMargin, snapshotPath: configuration.vectorSnapshotPath,
                snapshotInterval: configuration.vectorSnapshotInterval),
            APIKeyRefresher(
                repository: keyRepository, table: keyTable, interval: configuration.access.keyRefreshInterval, logger: logger))
        return app
    }
}
