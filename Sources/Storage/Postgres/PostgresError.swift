import Support

/// An error from the PostgreSQL client.
///
/// `description` names only the kind of failure and the SQLSTATE: never the SQL text, parameter
/// values or the server's message (which can quote data, e.g. `invalid input syntax for type
/// integer: "…"`). The full detail is in `debugDescription` (`String(reflecting: error)`), for
/// debugging only.
public struct PostgresError: PooledClientError, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The kind of failure (the kinds every pooled client has are `PooledClientError`'s).
    public typealias Code = ErrorCode<PostgresError>

    /// What went wrong.
    public var code: Code
    /// The server's SQLSTATE (e.g. `23505` unique violation, `40001` serialization failure), when known.
    public var sqlState: String?
    /// Details that may contain SQL or data: only in `debugDescription`.
    public var detail: String?
    /// The SQL text involved (never parameter values): only in `debugDescription`.
    public var query: String?

    public init(code: Code, sqlState: String? = nil, detail: String? = nil, query: String? = nil) {
        self.code = code
        self.sqlState = sqlState
        self.detail = detail
        self.query = query
    }

    /// Whether trying the same work again (on a fresh connection) can succeed: lost or failed
    /// connections, serialization failures and deadlocks, and the server shutting down.
    public var isRetryable: Bool {
        if code == .connectionLost || code == .connectionFailed { return true }
        guard let sqlState else { return false }
        // 40001 serialization_failure, 40P01 deadlock_detected, 57P01 admin_shutdown,
        // 57P02 crash_shutdown, 57P03 cannot_connect_now, class 08 connection exceptions.
        return ["40001", "40P01", "57P01", "57P02", "57P03"].contains(sqlState) || sqlState.hasPrefix("08")
    }

    public var description: String {
        if let sqlState { return "PostgresError(code: \(code), sqlState: \(sqlState))" }
        return "PostgresError(code: \(code))"
    }

    public var debugDescription: String {
        var text = description
        if let detail { text += " detail: \(detail)" }
        if let query { text += " query: \(query)" }
        return text
    }
}

extension ErrorCode where Owner == PostgresError {
    /// The server rejected the statement; see `sqlState`.
    public static var queryFailed: Self { Self("queryFailed") }
    /// `COPY … FROM STDIN` failed; see `sqlState` when the server reported one.
    public static var copyFailed: Self { Self("copyFailed") }
    /// A row value could not be decoded as the requested type, or a column is missing.
    public static var decoding: Self { Self("decoding") }
}
