/// Who may call what, and how often: API keys, CORS and rate limits (SECURITY.md). Every
/// field has a default with its reason; `AccessConfiguration(environment:)` reads the
/// documented variables over them.
public struct AccessConfiguration: Sendable {
    /// Whether widget reads, product reads and search need a key (`read` scope or above).
    public enum ReadAccess: String, Sendable {
        /// Anyone may read (the default): what the widgets show is what the shop's pages show.
        case open
        /// Reads need a key of scope `read` or above.
        case keyed
    }

    /// Default `.open`: widgets and search serve a public shop page (`HYBRIDRANK_READ_ACCESS`).
    public var readAccess: ReadAccess = .open
    /// How often each replica re-reads `api_keys` (seconds). A revoked key stops working on
    /// every replica within this interval plus one query. Default 2: one small query a replica
    /// every two seconds is nothing to PostgreSQL (`HYBRIDRANK_KEY_REFRESH_SECONDS`).
    public var keyRefreshInterval: Double = 2
    /// Origins a browser may call the browser-facing routes from (widgets, search, product
    /// reads, events); `["*"]` allows any. Default any: those routes take no cookies, and the
    /// only keys they accept (`read`, `ingest`) are meant to be public in a page's script, so an
    /// origin check would protect nothing. The admin routes never answer CORS
    /// (`HYBRIDRANK_CORS_ORIGINS`, comma-separated; empty: no CORS at all).
    public var corsOrigins: [String] = ["*"]
    /// How long a browser may cache a preflight answer (seconds).
    public var corsMaxAge: Int = 600
    /// Per-key and per-address request budgets.
    public var rateLimits: RateLimitConfiguration = RateLimitConfiguration()
    /// Use the last address of `X-Forwarded-For` (the one the proxy in front saw) as the client
    /// address. Default false: without a proxy that sets it, a client could name any address
    /// and escape its limit (`HYBRIDRANK_TRUST_FORWARDED_FOR=1`).
    public var trustForwardedFor: Bool = false
    /// Serve with no API keys on an address other than loopback. Default false: `serve`
    /// refuses to start that way, and a replica already serving there treats an empty key
    /// table as "no key is valid" rather than "everything is open" (`serve --allow-open`,
    /// `HYBRIDRANK_ALLOW_OPEN=1`). Loopback stays open without keys, for development.
    public var allowOpen: Bool = false

    public init() {}
}
