import Logging
import NIOConcurrencyHelpers
import Storage

/// Request budgets shared by every replica: one GCRA state per subject in Redis, checked and
/// updated by one Lua script in one round trip, with Redis's clock so replicas agree on time.
///
/// While Redis fails, each replica falls back to its own `LocalRateLimiter` (so N replicas let
/// through up to N times a budget) and tries Redis again after
/// `RateLimitConfiguration.redisRetryInterval`; a Redis failure never fails a request.
public final class RateLimiter: Sendable {
    private let redis: RedisClient
    private let local = LocalRateLimiter()
    private let metrics: ServiceMetrics
    private let logger: Logger
    private let retryInterval: Double
    /// Monotonic time before which Redis is not tried again (0: try it).
    private let redisRetryAt = NIOLockedValueBox(0.0)

    package init(redis: RedisClient, retryInterval: Double, metrics: ServiceMetrics, logger: Logger) {
        self.redis = redis
        self.retryInterval = retryInterval
        self.metrics = metrics
        self.logger = logger
    }

    /// GCRA with times in milliseconds of Redis's clock. KEYS[1]: the subject's key; ARGV: the
    /// emission interval (ms a token), the burst (tokens), the cost (tokens). Returns
    /// `{1, 0}` when allowed, `{0, ms to wait}` when not. The key expires when its budget is
    /// full again, so idle subjects cost no memory.
    static let script = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
        local interval = tonumber(ARGV[1])
        local burst = tonumber(ARGV[2])
        local cost = tonumber(ARGV[3])
        local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
        if tat < now then tat = now end
        local nexttat = tat + interval * cost
        local wait = nexttat - now - interval * burst
        if wait > 0 then return {0, math.ceil(wait)} end
        redis.call('SET', KEYS[1], string.format('%.3f', nexttat), 'PX', math.ceil(nexttat - now) + 1)
        return {1, 0}
        """

    /// Spends `cost` tokens of `subject`'s budget if it has them.
    public func check(_ subject: String, limit: RateLimit, cost: Double) async -> RateLimitDecision {
        let now = LocalRateLimiter.now()
        if redisRetryAt.withLockedValue({ $0 }) <= now {
            do {
                let reply = try await redis.command([
                    "EVAL", Self.script, "1", RedisKeys.rateLimit(subject),
                    String(1000 / limit.perSecond), String(limit.burst), String(cost),
                ]).throwingOnError()
                guard case .array(let values) = reply, values.count == 2, let allowed = values[0].int, let wait = values[1].int
                else { throw RedisError(code: .unexpectedReply) }
                let wasFailing = redisRetryAt.withLockedValue { retryAt in
                    defer { retryAt = 0 }
                    return retryAt != 0
                }
                if wasFailing { logger.notice("rate limits shared through Redis again") }
                return allowed == 1 ? .allowed : .limited(retryAfter: Double(wait) / 1000)
            } catch {
                let first = redisRetryAt.withLockedValue { retryAt in
                    defer { retryAt = now + retryInterval }
                    return retryAt == 0
                }
                if first {
                    logger.warning(
                        "rate limits fall back to this replica's memory while Redis fails", metadata: ["error": "\(error)"])
                }
            }
        }
        metrics.increment("hybridrank_rate_limit_local_checks_total")
        return local.check(subject, limit: limit, cost: cost, now: now)
    }
}
