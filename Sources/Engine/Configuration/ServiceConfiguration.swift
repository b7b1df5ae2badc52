import Foundation
import NIOCore
import Ranking

/// Everything the composition root needs to build the service. Every field has a default with
/// the reason for it, so `ServiceConfiguration()` is a working single-machine setup.
public struct ServiceConfiguration: Sendable {
    /// HTTP bind host. Loopback by default: a shop puts a proxy in front.
    public var host: String = "127.0.0.1"
    /// HTTP port: 8080 unless `--port` or `PORT` say otherwise.
    public var port: Int = 8080
    /// PostgreSQL, the source of truth (`DATABASE_URL`, else `POSTGRES_URL`).
    public var databaseURL: String = "postgresql://127.0.0.1:5432/hybridrank"
    /// Redis, the hot state shared by replicas (`REDIS_URL`).
    public var redisURL: String = "redis://127.0.0.1:6379"
    /// PostgreSQL schema to use (`search_path`); nil = the server default. Lets tests and
    /// side-by-side installs keep separate tables in one database.
    public var databaseSchema: String? = nil
    /// libpq connections. Four covers two cores: libpq calls block a pool thread each.
    public var postgresPoolSize: Int = 4
    /// hiredis contexts. Redis answers in microseconds; a few contexts keep pipelines apart.
    /// (The event-stream tail's blocking read has a connection of its own.)
    public var redisPoolSize: Int = 4
    /// HTTP event-loop threads: one per two cores (at least one). The event loops only read and
    /// write HTTP; the stages run on Swift's concurrency pool (one thread per core). Reading and
    /// writing is a small part of a request, so one loop keeps up with two cores of stages, and
    /// NIO's default of a loop per core only adds threads contending for the same cores (measured
    /// alternately on 2 cores: docs/benchmarks/service.md, "one HTTP event loop").
    /// `--http-threads`, `HYBRIDRANK_HTTP_THREADS`.
    public var httpThreads: Int = max(1, System.coreCount / 2)
    /// Cross-encoder directory (any HF BERT cross-encoder in this layout loads).
    public var crossEncoderDirectory: String = "models/retail-reranker"
    /// Bi-encoder directory (all-MiniLM-L6-v2 from the PyPI wheel, see scripts/fetch-models.sh).
    public var biEncoderDirectory: String = ".models/all-MiniLM-L6-v2"
    /// Whether to load the bi-encoder and cross-encoder at start (tests of non-model paths
    /// switch it off to start in milliseconds).
    public var loadModels: Bool = true
    /// Threads of the model (BLAS) pool. Default 2 on this 2-core target: a lone rerank uses both
    /// cores, two concurrent reranks one each (`ModelRuntime`); the event loops share the cores
    /// with them, which costs cached requests a little latency while a cold rerank runs
    /// (docs/benchmarks/service.md). 1 keeps one core free of model work.
    public var modelThreads: Int = 2
    /// The content index: exact (default; exact answers, linear in the catalog) or HNSW for
    /// catalogs of many hundred thousand products (`--vector-index`, `HYBRIDRANK_VECTOR_INDEX`).
    public var vectorIndex: VectorIndexKind = .exact
    /// Trains item2vec from the interaction log at start and adds its candidate source, blended
    /// with δ = a variant's or widget's `item2vec_weight`. Off by default: the default δ is 0,
    /// because on the mean of the backtest windows item2vec did not clear the bar to enter the
    /// default blend (docs/QUALITY.md), and training costs start-up time. `HYBRIDRANK_ITEM2VEC`.
    public var item2vec: Bool = false
    /// Where the content index is saved with the bi-encoder version and the catalog watermark,
    /// and loaded from at start (`HYBRIDRANK_VECTOR_SNAPSHOT`; nil: rebuilt from PostgreSQL at
    /// every start — minutes for an HNSW index of a million products).
    public var vectorSnapshotPath: String? = nil
    /// Seconds between snapshot saves (and one when the service stops): what a restart replays.
    public var vectorSnapshotInterval: Double = 600
    /// Largest `limit` a widget accepts.
    public var maximumLimit: Int = 100
    /// What every input to the HTTP API is held to (id and text lengths, time range, integer
    /// ranges, list sizes); README "Errors" lists the defaults.
    public var inputBounds: InputBounds = InputBounds()
    /// Largest request body accepted, in bytes (a 1,000-product batch fits easily).
    public var maximumBodySize: Int = 4 * 1024 * 1024
    /// Defaults every experiment variant inherits.
    public var pipeline: PipelineOptions = PipelineOptions()
    /// How long a purchase of an exposed item by the same user is attributed to the exposure.
    public var attributionWindow: TimeInterval = 24 * 3600
    /// Cross-encoder score cache entries live this long in Redis.
    public var rerankCacheTTL: Int = 7 * 24 * 3600
    /// Cross-encoder scores each replica also keeps in process, in front of Redis (0 = none).
    /// About 100 bytes an entry; a repeat context then costs no Redis round trip.
    public var rerankLocalCacheEntries: Int = 100_000
    /// Exposures are written in batches of up to this many rows, at least every `exposureFlushInterval` seconds.
    public var exposureBatchSize: Int = 500
    public var exposureFlushInterval: Double = 0.5
    /// Where exposures that cannot be written by shutdown (PostgreSQL down) are spilled, and
    /// replayed from at the next start; relative paths are under the working directory. nil
    /// keeps none (they are counted as lost in the shutdown log line). `HYBRIDRANK_SPOOL_DIR`.
    public var spoolDirectory: String? = ".data/spool"
    /// `/health` says `degraded` when the oldest queued exposure has waited longer than this
    /// (seconds): the writer is behind or PostgreSQL refuses its writes.
    public var exposureQueueAgeWarning: Double = 60
    /// The daily performance tables are rolled up this often (seconds); idempotent.
    public var rollupInterval: Double = 60
    /// Running experiments and widget settings are re-read from PostgreSQL this often, so every
    /// replica converges.
    public var experimentRefreshInterval: Double = 5
    /// The cart's basket weights (`EASEIndex`) are fitted on the purchases before the last multiple
    /// of this many seconds since 1970 and refitted when the next passes (`RefitCutoff`), so every
    /// replica holds the same weights. A day: new purchases reach the cart through the live basket
    /// index meanwhile.
    public var basketModelRefitPeriod: Double = 86_400
    /// Catalog writes made on other replicas (stock, prices, new and deleted products, their
    /// embeddings) are read from PostgreSQL this often (seconds): the bound on how long replicas
    /// may disagree on the catalog. One indexed range read per interval.
    public var catalogSyncInterval: Double = 0.5
    /// How far before its watermark the catalog read looks again (seconds): covers clock skew
    /// between replicas and transactions that commit late.
    public var catalogSyncMargin: Double = 10
    /// API keys, CORS and rate limits (SECURITY.md).
    public var access: AccessConfiguration = AccessConfiguration()

    public init() {}
}
