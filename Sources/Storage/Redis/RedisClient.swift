import ServiceLifecycle

/// Redis through hiredis: a small pool of blocking contexts on their own threads (never an
/// event loop), commands as argument vectors (`redisCommandArgv`, binary-safe), pipelining,
/// timeouts and reconnection. A context whose server went away is replaced before its next
/// use; a command in flight when that happened throws `RedisError` `.connectionLost`
/// (`isRetryable`). Typed helpers for the commands the service uses are in
/// `RedisClient+Commands.swift` and `RedisClient+Streams.swift`.
public final class RedisClient: Sendable, Service {
    public let configuration: RedisConfiguration
    private let pool: BlockingResourcePool<RedisConnection>

    public init(configuration: RedisConfiguration) throws {
        self.configuration = configuration
        let endpoint = try configuration.endpoint()
        let connections = (0..<configuration.poolSize).map { _ in
            RedisConnection(configuration: configuration, endpoint: endpoint)
        }
        self.pool = BlockingResourcePool(resources: connections)
    }

    public convenience init(url: String) throws {
        try self.init(configuration: RedisConfiguration(url: url))
    }

    /// Sends one command; an error reply comes back as `.error` (use `throwingOnError()`).
    public func command(_ arguments: [String]) async throws -> RedisReply {
        try await command(bytes: arguments.map { Array($0.utf8) })
    }

    /// Sends one command with binary arguments.
    public func command(bytes arguments: [[UInt8]]) async throws -> RedisReply {
        try await withConnection { try $0.command(arguments) }
    }

    /// Sends one command that may block on the server for up to `blockSeconds`
    /// (`XREADGROUP … BLOCK`, `BLPOP`); the reply timeout is extended by that much.
    public func blockingCommand(_ arguments: [String], blockSeconds: Double) async throws -> RedisReply {
        let bytes = arguments.map { Array($0.utf8) }
        return try await withConnection { try $0.command(bytes, extraWaitSeconds: blockSeconds) }
    }

    /// Sends all commands in one round trip and returns their replies in order (error replies
    /// included, per command). Not a transaction: other clients' commands may interleave.
    public func pipeline(_ commands: [[String]]) async throws -> [RedisReply] {
        let bytes = commands.map { $0.map { Array($0.utf8) } }
        return try await withConnection { try $0.pipeline(bytes) }
    }

    /// Pipelining with binary arguments.
    public func pipeline(bytes commands: [[[UInt8]]]) async throws -> [RedisReply] {
        try await withConnection { try $0.pipeline(commands) }
    }

    /// Whether the server answers `PING` now.
    public func ping() async -> Bool {
        (try? await command(["PING"])) == .status("PONG")
    }

    /// Closes every context and stops the threads; later calls throw `.poolClosed`.
    public func close() async {
        await pool.close { $0.close() }
    }

    /// Runs until graceful shutdown, then closes the pool.
    public func run() async throws {
        try? await gracefulShutdown()
        await close()
    }

    private func withConnection<T: Sendable>(_ body: @escaping @Sendable (RedisConnection) throws -> T) async throws -> T {
        do {
            return try await pool.withResource { connection in
                connection.prepareForUse()
                return try body(connection)
            }
        } catch is PoolClosedError {
            throw RedisError(code: .poolClosed)
        }
    }
}
