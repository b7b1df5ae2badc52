import ServiceLifecycle

/// PostgreSQL through libpq: a bounded pool of connections, each used by one caller at a time
/// on a dedicated thread (libpq blocks; nothing here runs on an event loop).
///
/// - Only parameterized statements (`$1…$n`); values never become SQL text.
/// - A connection the server closed (restart, `pg_terminate_backend`) is noticed and replaced
///   before its next loan; a statement that was in flight when the server went away throws
///   `PostgresError` with code `.connectionLost` and `isRetryable == true`.
/// - As a `Service` it runs until graceful shutdown, then closes its connections.
public final class PostgresClient: Sendable, Service {
    public let configuration: PostgresConfiguration
    private let pool: BlockingResourcePool<PostgresConnection>

    public init(configuration: PostgresConfiguration) {
        self.configuration = configuration
        let connections = (0..<configuration.poolSize).map { _ in PostgresConnection(configuration: configuration) }
        self.pool = BlockingResourcePool(resources: connections)
    }

    public convenience init(url: String) {
        self.init(configuration: PostgresConfiguration(url: url))
    }

    /// Rows of one parameterized statement.
    public func query(_ sql: String, _ parameters: [(any PostgresParameter)?] = []) async throws -> [PostgresRow] {
        try await withConnection { try $0.query(sql, parameters) }
    }

    /// Rows affected by one parameterized statement.
    @discardableResult
    public func execute(_ sql: String, _ parameters: [(any PostgresParameter)?] = []) async throws -> Int {
        try await withConnection { try $0.execute(sql, parameters) }
    }

    /// Bulk load through `COPY … FROM STDIN`; returns the rows copied. See `PostgresConnection.copyIn`.
    public func copyIn<Lines: Sequence<String> & Sendable>(_ copySQL: String, lines: Lines) async throws -> Int {
        try await withConnection { try $0.copyIn(copySQL, lines: lines) }
    }

    /// Runs `body` with one connection, outside a transaction (autocommit), on a pool thread.
    /// Use it for work that needs the same session throughout (temporary tables, COPY then INSERT).
    public func withConnection<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) throws -> T) async throws -> T {
        do {
            return try await pool.withResource { connection in
                try connection.prepareForUse()
                return try body(connection)
            }
        } catch is PoolClosedError {
            throw PostgresError(code: .poolClosed)
        }
    }

    /// Runs `body` inside `BEGIN … COMMIT` on one connection; any error thrown rolls back.
    /// `body` runs synchronously on a pool thread and must not keep the connection.
    public func withTransaction<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) throws -> T) async throws -> T {
        try await withConnection { connection in
            try connection.execute("BEGIN")
            let value: T
            do {
                value = try body(connection)
            } catch {
                if connection.isOpen { _ = try? connection.execute("ROLLBACK") }
                throw error
            }
            try connection.execute("COMMIT")
            return value
        }
    }

    /// Whether the server answers `SELECT 1` now.
    public func ping() async -> Bool {
        (try? await query("SELECT 1").count == 1) ?? false
    }

    /// Closes all connections and stops the pool's threads; later calls throw `.poolClosed`.
    public func close() async {
        await pool.close { $0.close() }
    }

    /// Runs until graceful shutdown, then closes the pool.
    public func run() async throws {
        try? await gracefulShutdown()
        await close()
    }
}
