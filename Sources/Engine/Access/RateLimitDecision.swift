/// The answer of a rate limiter for one request.
public enum RateLimitDecision: Sendable, Equatable {
    case allowed
    /// Over budget; the request would be allowed after this many seconds.
    case limited(retryAfter: Double)

    /// `Retry-After` in whole seconds (at least 1: 0 would invite an immediate retry).
    public var retryAfterHeader: String? {
        guard case .limited(let seconds) = self else { return nil }
        return String(max(1, Int(seconds.rounded(.up))))
    }
}
