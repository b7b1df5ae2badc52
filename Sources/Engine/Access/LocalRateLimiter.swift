import Foundation
import NIOConcurrencyHelpers

/// GCRA in process memory: the limiter a replica uses on its own while Redis fails. Same rule
/// as the Redis script (`RateLimiter`), so a client sees the same budget either way, but counted
/// per replica.
final class LocalRateLimiter: Sendable {
    /// Subjects held before expired ones are swept (each entry is a subject and one time).
    private let sweepThreshold: Int
    /// Theoretical arrival time per subject, in seconds on the monotonic clock.
    private let arrivals = NIOLockedValueBox([String: Double]())

    init(sweepThreshold: Int = 100_000) {
        self.sweepThreshold = sweepThreshold
    }

    /// Spends `cost` tokens of `subject`'s budget if it has them.
    func check(_ subject: String, limit: RateLimit, cost: Double, now: Double = LocalRateLimiter.now()) -> RateLimitDecision {
        arrivals.withLockedValue { arrivals in
            if arrivals.count >= sweepThreshold {
                arrivals = arrivals.filter { $0.value > now }
            }
            let decision = Self.gcra(arrival: arrivals[subject], now: now, limit: limit, cost: cost)
            if let next = decision.nextArrival { arrivals[subject] = next }
            return decision.result
        }
    }

    /// The generic cell rate algorithm: each token moves the subject's theoretical arrival time
    /// `1/perSecond` into the future; a request is allowed while that time stays within
    /// `burst` tokens of now.
    static func gcra(
        arrival: Double?, now: Double, limit: RateLimit, cost: Double
    ) -> (result: RateLimitDecision, nextArrival: Double?) {
        let interval = 1 / limit.perSecond
        let start = max(arrival ?? now, now)
        let next = start + interval * cost
        let wait = next - now - interval * limit.burst
        if wait > 0 { return (.limited(retryAfter: wait), nil) }
        return (.allowed, next)
    }

    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
}
