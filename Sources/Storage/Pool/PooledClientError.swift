import Support

/// An error of a client that talks to its server over a pool of connections (`PostgresError`,
/// `RedisError`): the kinds of failure every such client has are declared here once, so both
/// clients name and print them alike.
public protocol PooledClientError: Error {}

extension ErrorCode where Owner: PooledClientError {
    /// Could not connect (server down, wrong address, authentication).
    public static var connectionFailed: Self { Self("connectionFailed") }
    /// The connection broke during the operation (the server restarted or went away). The
    /// operation may or may not have taken effect; retrying is safe for idempotent work.
    public static var connectionLost: Self { Self("connectionLost") }
    /// The client was closed.
    public static var poolClosed: Self { Self("poolClosed") }
    /// The configuration (URL) is unusable.
    public static var invalidConfiguration: Self { Self("invalidConfiguration") }
}
