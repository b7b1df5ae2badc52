/// How to reach PostgreSQL and how many connections to hold.
public struct PostgresConfiguration: Sendable {
    /// A libpq connection URI, e.g. `postgresql://postgres@127.0.0.1:5432/hybridrank`
    /// (any libpq keyword/value string works too).
    public var url: String
    /// Connections (and threads) in the pool. Default 4: the service runs on small machines
    /// (2 cores), every query blocks one thread for its duration, and the hot path reads from
    /// memory and Redis, so PostgreSQL sees writes and background reloads only; 4 lets a
    /// writer, a reload and two requests proceed at once without oversubscribing the CPU.
    public var poolSize: Int
    /// Seconds libpq waits for a connection to open. Default 5: long enough for a busy server,
    /// short enough that a request fails fast when the database is down.
    public var connectTimeoutSeconds: Int
    /// Server-side `statement_timeout` in milliseconds; 0 disables it. Default 0: bulk imports
    /// and migrations can legitimately run for minutes; set it for request-serving clients.
    public var statementTimeoutMilliseconds: Int
    /// Shown in `pg_stat_activity`. Default `hybridrank`.
    public var applicationName: String
    /// The session's `search_path` (a schema name, or a comma-separated list) when set: lets
    /// tests and side-by-side installs use their own schema with unqualified SQL. Default nil:
    /// the server's default (`public`).
    public var searchPath: String?

    public init(
        url: String,
        poolSize: Int = 4,
        connectTimeoutSeconds: Int = 5,
        statementTimeoutMilliseconds: Int = 0,
        applicationName: String = "hybridrank",
        searchPath: String? = nil
    ) {
        self.url = url
        self.poolSize = max(1, poolSize)
        self.connectTimeoutSeconds = max(1, connectTimeoutSeconds)
        self.statementTimeoutMilliseconds = max(0, statementTimeoutMilliseconds)
        self.applicationName = applicationName
        self.searchPath = searchPath
    }
}
