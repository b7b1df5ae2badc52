/// An error from the Redis client.
///
/// `description` names the kind of failure and, for server errors, only the error's leading
/// code word (`WRONGTYPE`, `BUSYGROUP`, `NOSCRIPT`): never keys, values or the server's full
/// message. The full detail is in `debugDescription` (`String(reflecting: error)`).
public struct RedisError: Error, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The kind of failure. A struct over a private enum so new kinds do not break callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case connectionFailed
            case connectionLost
            case timeout
            case server
            case unexpectedReply
            case poolClosed
            case invalidConfiguration
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// Could not connect.
        public static let connectionFailed = Code(.connectionFailed)
        /// The connection broke during the command; the command may or may not have run.
        public static let connectionLost = Code(.connectionLost)
        /// No reply within the command timeout; the connection is replaced.
        public static let timeout = Code(.timeout)
        /// The server answered with an error reply; see `serverCode`.
        public static let server = Code(.server)
        /// The reply had a shape a typed helper did not expect.
        public static let unexpectedReply = Code(.unexpectedReply)
        /// The client was closed.
        public static let poolClosed = Code(.poolClosed)
        /// The configuration (URL) is unusable.
        public static let invalidConfiguration = Code(.invalidConfiguration)

        public var description: String { base.rawValue }
    }

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
