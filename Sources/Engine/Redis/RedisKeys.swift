import Domain

/// Every Redis key the service writes, in one place (prefix `hr:`), so replicas agree and an
/// operator can find them.
enum RedisKeys {
    /// Recent events of a user, newest first (list of `EncodedEvent`), trimmed to `historyLength`.
    static func history(_ user: UserID) -> String { "hr:u:{\(user)}:h" }
    /// Everything the user bought (set of product ids).
    static func purchased(_ user: UserID) -> String { "hr:u:{\(user)}:p" }
    /// The user's cart: sorted set product → time added.
    static func cart(_ user: UserID) -> String { "hr:u:{\(user)}:cart" }
    /// "PostgreSQL has no events for this user" (a shopper seen before any event), kept for
    /// `noHistoryTTLSeconds` and deleted when the user's first event is recorded.
    static func noHistory(_ user: UserID) -> String { "hr:u:{\(user)}:none" }
    /// Time-decayed popularity, global and per category (sorted sets, see `PopularityClock`).
    static let popularityGlobal = "hr:pop:global"
    /// Set when the popularity lists are seeded; gone with them when Redis loses its data.
    static let popularityGeneration = "hr:pop:generation"
    static func popularity(category: String) -> String { "hr:pop:cat:\(category)" }
    /// Cross-encoder score cache: `RerankCacheKey`'s `ce:<model version>:<context hash>:<product>`.
    static func rerankScore(_ cacheKey: String) -> String { "hr:" + cacheKey }
    /// The event stream every replica tails to keep its in-memory indexes current.
    static let eventStream = "hr:events"
    /// A rate-limit subject's GCRA state (`RateLimiter`): `k:<key id>`, `k:<key id>@<address>`
    /// or `a:<address>`; expires when the subject's budget is full again.
    static func rateLimit(_ subject: String) -> String { "hr:rl:\(subject)" }

    static let historyLength = 200
    /// User keys expire after 90 days without activity.
    static let userTTLSeconds = 90 * 24 * 3600
    /// How long an empty PostgreSQL answer is trusted: bounds how stale a shopper's state can be
    /// after events reach PostgreSQL without passing through this service (a bulk `import`).
    static let noHistoryTTLSeconds = 60
}
