import NIOConcurrencyHelpers

/// The API keys this replica accepts, read from `api_keys` at start and every
/// `AccessConfiguration.keyRefreshInterval` (`APIKeyRefresher`). A request looks its key up
/// here, never in PostgreSQL, so authentication costs one lock and one hash, and keys keep
/// working through a PostgreSQL outage (the last table read stays in force).
public final class APIKeyTable: Sendable {
    /// What this replica knows about the keys.
    public enum State: Sendable, Equatable {
        /// Not read yet (PostgreSQL was down at start): routes that may need a key answer 503.
        case unknown
        /// No key was ever created: every route is open (development mode).
        case open
        /// The active keys by id (revoked ones left out).
        case keyed([String: APIKeyRecord])
    }

    private let state = NIOLockedValueBox(State.unknown)
    /// Whether an empty table may open the service (`AccessConfiguration.allowOpen`, or a
    /// loopback address). When not, an empty table means no key is valid.
    private let mayOpen: Bool

    public init(mayOpen: Bool) {
        self.mayOpen = mayOpen
    }

    public var current: State { state.withLockedValue { $0 } }

    /// Installs a fresh read of the table (every row, revoked ones included).
    public func install(_ records: [APIKeyRecord]) {
        let next: State
        if records.isEmpty && mayOpen {
            next = .open
        } else {
            next = .keyed(Dictionary(records.filter(\.isActive).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first }))
        }
        state.withLockedValue { $0 = next }
    }

    /// The active key `text` is, or nil (malformed, unknown, revoked, or the table not read).
    /// The stored and presented digests are compared in constant time.
    public func authenticate(_ text: some StringProtocol) -> APIKeyRecord? {
        guard let token = APIKeyToken(parsing: text) else { return nil }
        guard case .keyed(let keys) = current, let record = keys[token.id] else { return nil }
        return APIKeyToken.constantTimeEqual(record.digest, token.digest) ? record : nil
    }
}
