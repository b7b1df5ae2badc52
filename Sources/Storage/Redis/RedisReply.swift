/// One Redis reply. Bulk strings are bytes (binary-safe); `string` decodes them as UTF-8.
public enum RedisReply: Sendable, Hashable {
    /// A simple status such as `OK` or `PONG`.
    case status(String)
    /// An error reply (`ERR …`, `WRONGTYPE …`); typed helpers throw it as `RedisError`.
    case error(String)
    case integer(Int)
    /// A bulk string, byte for byte.
    case bulk([UInt8])
    /// The nil bulk string or nil array (missing key, timed-out blocking read).
    case null
    case array([RedisReply])

    /// Bulk or status text as a `String` (bulk bytes decoded as UTF-8); integers as decimal text.
    public var string: String? {
        switch self {
        case .bulk(let bytes): return String(decoding: bytes, as: UTF8.self)
        case .status(let text): return text
        case .integer(let value): return String(value)
        default: return nil
        }
    }

    /// The bytes of a bulk string.
    public var bytes: [UInt8]? {
        if case .bulk(let bytes) = self { return bytes }
        return nil
    }

    /// An integer reply, or a bulk string holding a decimal integer.
    public var int: Int? {
        switch self {
        case .integer(let value): return value
        case .bulk, .status: return string.flatMap { Int($0) }
        default: return nil
        }
    }

    /// A bulk string holding a number (`ZSCORE`, `INCRBYFLOAT`), or an integer.
    public var double: Double? {
        switch self {
        case .integer(let value): return Double(value)
        case .bulk, .status:
            switch string {
            case "inf", "+inf": return .infinity
            case "-inf": return -.infinity
            default: return string.flatMap { Double($0) }
            }
        default: return nil
        }
    }

    public var array: [RedisReply]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    public var isNull: Bool { self == .null }

    /// The reply itself, or the `RedisError` an error reply stands for.
    public func throwingOnError() throws -> RedisReply {
        if case .error(let message) = self { throw RedisError(serverMessage: message) }
        return self
    }
}
