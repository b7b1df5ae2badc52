/// The request budgets per kind of caller. A `read` or `ingest` key ships in pages, so many
/// shoppers share one: those budgets count per key *and* client address. An `admin` key belongs
/// to one system: its budget counts per key. A request without a key counts per client address.
public struct RateLimitConfiguration: Sendable {
    /// Default true. Off only for load benchmarks from one address (`HYBRIDRANK_RATE_LIMITS=off`).
    public var enabled: Bool = true
    /// No key (per address). 20 tokens/s, burst 100: a shopper's page makes a handful of
    /// widget calls; a search (10 tokens) twice a second is more than anyone types
    /// (`HYBRIDRANK_RATE_LIMIT_ANONYMOUS=20/100`).
    public var anonymous: RateLimit = RateLimit(perSecond: 20, burst: 100)
    /// `read` keys (per key and address); the same as anonymous (`HYBRIDRANK_RATE_LIMIT_READ`).
    public var read: RateLimit = RateLimit(perSecond: 20, burst: 100)
    /// `ingest` keys (per key and address): a page posts an event per click, a server-side
    /// forwarder batches up to 1,000 events a request (`HYBRIDRANK_RATE_LIMIT_INGEST=100/500`).
    public var ingest: RateLimit = RateLimit(perSecond: 100, burst: 500)
    /// `admin` keys (per key): imports and batch jobs (`HYBRIDRANK_RATE_LIMIT_ADMIN=1000/2000`).
    public var admin: RateLimit = RateLimit(perSecond: 1000, burst: 2000)
    /// Tokens a search costs per started 100 characters of `q` (capped at the caller's burst, so
    /// every query fits eventually). Default 10: a search encodes its query with the bi-encoder
    /// and reranks with it, so its cost grows with the query's length (a unique 1,000-character
    /// query costs several times a short one), where a widget read mostly reads memory. A short
    /// query costs 10 tokens, a 1,000-character one 100: an anonymous caller gets one such
    /// search every five seconds (`HYBRIDRANK_RATE_LIMIT_SEARCH_COST`).
    public var searchCost: Double = 10
    /// A refusal (429) is answered after this many seconds at most (never later than the
    /// caller could retry). Default 1: a client that ignores `Retry-After` and asks again at once
    /// would otherwise turn cheap refusals into a flood of its own (it asks again as fast as the
    /// refusals come: docs/benchmarks/rate-limits.md); waiting costs the service a suspended task,
    /// not a
    /// thread (`HYBRIDRANK_RATE_LIMIT_REJECTION_DELAY`, 0 = answer at once).
    public var rejectionDelay: Double = 1
    /// Refusals held back at once, at most; beyond it they are answered at once, so holding
    /// them can never exhaust memory or connections.
    public var maximumDelayedRejections: Int = 1000
    /// While Redis fails, each replica limits on its own (so N replicas let through up to N
    /// times a budget) and tries Redis again after this many seconds. Default 1: a failing
    /// Redis costs at most one slow request a second, not one per request.
    public var redisRetryInterval: Double = 1

    public init() {}

    /// Tokens a request costs: 1, or for a search with a `q` of `searchCharacters` characters,
    /// `searchCost` per started 100 characters, at most `limit.burst`.
    public func cost(searchCharacters: Int?, limit: RateLimit) -> Double {
        guard let searchCharacters else { return 1 }
        let hundreds = max(1, (searchCharacters + 99) / 100)
        return min(limit.burst, max(1, searchCost * Double(hundreds)))
    }

    /// The budget for a caller with a key of `scope` (nil: no key).
    public func limit(for scope: APIKeyScope?) -> RateLimit {
        switch scope {
        case nil: anonymous
        case .read: read
        case .ingest: ingest
        case .admin: admin
        }
    }
}
