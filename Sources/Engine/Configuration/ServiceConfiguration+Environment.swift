import Foundation
import Support

extension ServiceConfiguration {
    /// Reads the documented environment variables over the defaults:
    /// `HOST`, `PORT`, `DATABASE_URL` (or `POSTGRES_URL`), `REDIS_URL`, `HYBRIDRANK_MODEL_THREADS`,
    /// `HYBRIDRANK_HTTP_THREADS`, `HYBRIDRANK_CROSS_ENCODER`, `HYBRIDRANK_BI_ENCODER`,
    /// `HYBRIDRANK_VECTOR_INDEX` (exact | hnsw; an unknown value keeps the default),
    /// `HYBRIDRANK_ITEM2VEC` (on | off; an unknown value keeps the default),
    /// `HYBRIDRANK_RERANK_LOCAL_CACHE_ENTRIES`, `HYBRIDRANK_SPOOL_DIR`, `HYBRIDRANK_DATABASE_SCHEMA`,
    /// `HYBRIDRANK_CATALOG_SYNC_SECONDS`, `HYBRIDRANK_BASKET_MODEL_REFIT_SECONDS`, and the access variables
    /// (`AccessConfiguration+Environment.swift`).
    public init(environment: [String: String]) {
        self.init()
        self.access = AccessConfiguration(environment: environment)
        if let host = environment["HOST"], !host.isEmpty { self.host = host }
        if let port = environment["PORT"].flatMap(Int.init) { self.port = port }
        if let url = Self.databaseURL(in: environment) { self.databaseURL = url }
        if let url = environment["REDIS_URL"], !url.isEmpty { self.redisURL = url }
        if let schema = Self.databaseSchema(in: environment) { self.databaseSchema = schema }
        if let seconds = environment["HYBRIDRANK_CATALOG_SYNC_SECONDS"].flatMap(Double.init), seconds > 0 {
            self.catalogSyncInterval = seconds
        }
        if let seconds = environment["HYBRIDRANK_BASKET_MODEL_REFIT_SECONDS"].flatMap(Double.init), seconds >= 1 {
            self.basketModelRefitPeriod = seconds
        }
        if let threads = environment["HYBRIDRANK_MODEL_THREADS"].flatMap(Int.init), threads > 0 { self.modelThreads = threads }
        if let threads = environment["HYBRIDRANK_HTTP_THREADS"].flatMap(Int.init), threads > 0 { self.httpThreads = threads }
        if let dir = environment["HYBRIDRANK_CROSS_ENCODER"], !dir.isEmpty { self.crossEncoderDirectory = dir }
        if let dir = environment["HYBRIDRANK_BI_ENCODER"], !dir.isEmpty { self.biEncoderDirectory = dir }
        if let item2vec = environment["HYBRIDRANK_ITEM2VEC"].flatMap(BooleanText.parse) { self.item2vec = item2vec }
        if let kind = environment["HYBRIDRANK_VECTOR_INDEX"].flatMap(VectorIndexKind.init(argument:)) { self.vectorIndex = kind }
        if let path = environment["HYBRIDRANK_VECTOR_SNAPSHOT"], !path.isEmpty { self.vectorSnapshotPath = path }
        if let seconds = environment["HYBRIDRANK_VECTOR_SNAPSHOT_SECONDS"].flatMap(Double.init), seconds > 0 {
            self.vectorSnapshotInterval = seconds
        }
        if let entries = environment["HYBRIDRANK_RERANK_LOCAL_CACHE_ENTRIES"].flatMap(Int.init), entries >= 0 {
            self.rerankLocalCacheEntries = entries
        }
        if let dir = environment["HYBRIDRANK_SPOOL_DIR"], !dir.isEmpty { self.spoolDirectory = dir }
    }

    /// `DATABASE_URL`, else `POSTGRES_URL`, an empty value skipped: how `serve` and every CLI
    /// database command find PostgreSQL, so they cannot end up on different databases.
    public static func databaseURL(in environment: [String: String]) -> String? {
        [environment["DATABASE_URL"], environment["POSTGRES_URL"]].lazy.compactMap { $0 }.first { !$0.isEmpty }
    }

    /// `HYBRIDRANK_DATABASE_SCHEMA` (nil when unset or empty: the server's `search_path`), read by
    /// `serve` and every CLI database command.
    public static func databaseSchema(in environment: [String: String]) -> String? {
        environment["HYBRIDRANK_DATABASE_SCHEMA"].flatMap { $0.isEmpty ? nil : $0 }
    }
}
