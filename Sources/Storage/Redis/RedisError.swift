import Support

/// An error from the Redis client.
///
/// `description` names the kind of failure and, for server errors, only the error's leading
/// code word (`WRONGTYPE`, `BUSYGROUP`, `NOSCRIPT`): never keys, values or the server's full
/// message. The full detail is in `debugDescription` (`String(reflecting: error)`).
public struct RedisError: PooledClientError, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The kind of failure (the kinds every pooled client has are `PooledClientError`'s).
    public typealias Code = ErrorCode<RedisError>

    public var code: Code
    /// The first word of a server error reply (`ERR`, `WRONGTYPE`, `BUSYGROUP`, …).
    public var serverCode: String?
    /// Full message; may contain keys or data: only in `debugDescription`.
    public var detail: String?

    public init(code: Code, serverCode: String? = nil, detail: String? = nil) {
        self.code = code
        self.serverCode = serverCode
        self.detail = detail
    }

    /// An error for a server error reply.
    public init(serverMessage: String) {
        let word = serverMessage.split(separator: " ", maxSplits: 1).first.map(String.init)
        // Only an all-capitals first word is a code; anything else might be data.
        let isCode = word.map { !$0.isEmpty && $0.utf8.allSatisfy { (65...90).contains($0) || $0 == 95 } } ?? false
        self.init(code: .server, serverCode: isCode ? word : nil, detail: serverMessage)
    }

    /// Whether trying again on a fresh connection can succeed.
    public var isRetryable: Bool {
        code == .connectionLost || code == .connectionFailed || code == .timeout
            || serverCode == "LOADING" || serverCode == "BUSY" || serverCode == "TRYAGAIN"
    }

    public var description: String {
        if let serverCode { return "RedisError(code: \(code), server: \(serverCode))" }
        return "RedisError(code: \(code))"
    }

    public var debugDescription: String {
        guard let detail else { return description }
        return description + " detail: " + detail
    }
}

extension ErrorCode where Owner == RedisError {
    /// No reply within the command timeout; the connection is replaced.
    public static var timeout: Self { Self("timeout") }
    /// The server answered with an error reply; see `serverCode`.
    public static var server: Self { Self("server") }
    /// The reply had a shape a typed helper did not expect.
    public static var unexpectedReply: Self { Self("unexpectedReply") }
}
