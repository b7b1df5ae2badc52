/// How to reach Redis and how many connections to hold.
public struct RedisConfiguration: Sendable {
    /// `redis://[:password@]host[:port][/db]`; port 6379 and db 0 by default.
    public var url: String
    /// Connections (and threads) in the pool. Default 4: commands are sub-millisecond, so a few
    /// connections serve a 2-core machine; a blocking stream read holds one for its whole wait,
    /// so give a consumer its own client (or a larger pool).
    public var poolSize: Int
    /// Seconds to wait for any reply (`redisSetTimeout`). Default 2: Redis answers in
    /// microseconds, so a reply this late means the server or network is in trouble and the
    /// caller should fall back rather than hang. Blocking reads add their own wait to it.
    public var commandTimeoutSeconds: Double
    /// Seconds to wait for the TCP connection. Default 2, for the same reason.
    public var connectTimeoutSeconds: Double

    public init(
        url: String,
        poolSize: Int = 4,
        commandTimeoutSeconds: Double = 2,
        connectTimeoutSeconds: Double = 2
    ) {
        self.url = url
        self.poolSize = max(1, poolSize)
        self.commandTimeoutSeconds = max(0.001, commandTimeoutSeconds)
        self.connectTimeoutSeconds = max(0.001, connectTimeoutSeconds)
    }

    /// The parts of `url`.
    struct Endpoint: Sendable, Equatable {
        var host: String
        var port: Int
        var password: String?
        var database: Int
    }

    /// Parses `url`; throws `.invalidConfiguration` (without echoing the URL, which may hold a password).
    func endpoint() throws -> Endpoint {
        var rest = Substring(url)
        for scheme in ["redis://", "tcp://"] where rest.hasPrefix(scheme) {
            rest = rest.dropFirst(scheme.count)
        }
        var password: String?
        if let at = rest.lastIndex(of: "@") {
            let credentials = rest[..<at]
            // `user:password` or `:password`; users (ACL) other than default are not supported.
            password = credentials.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).last.map(String.init)
            if password?.isEmpty == true { password = nil }
            rest = rest[rest.index(after: at)...]
        }
        var database = 0
        if let slash = rest.firstIndex(of: "/") {
            let path = rest[rest.index(after: slash)...]
            if !path.isEmpty {
                guard let db = Int(path) else {
                    throw RedisError(code: .invalidConfiguration, detail: "database must be a number")
                }
                database = db
            }
            rest = rest[..<slash]
        }
        var host = String(rest)
        var port = 6379
        if let colon = rest.lastIndex(of: ":") {
            guard let parsed = Int(rest[rest.index(after: colon)...]), (1...65535).contains(parsed) else {
                throw RedisError(code: .invalidConfiguration, detail: "port must be a number")
            }
            port = parsed
            host = String(rest[..<colon])
        }
        if host.isEmpty { host = "127.0.0.1" }
        if host == "localhost" { host = "127.0.0.1" }
        return Endpoint(host: host, port: port, password: password, database: database)
    }
}
