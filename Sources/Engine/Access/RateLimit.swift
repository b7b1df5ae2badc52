/// A request budget as a token bucket (enforced with GCRA, `RateLimiter`): `burst` tokens at
/// once, refilled at `perSecond`. A plain request costs one token, a search
/// `RateLimitConfiguration.searchCost`.
public struct RateLimit: Sendable, Equatable {
    public var perSecond: Double
    public var burst: Double

    public init(perSecond: Double, burst: Double) {
        self.perSecond = max(0.001, perSecond)
        self.burst = max(1, burst)
    }

    /// Parses `RATE/BURST` (`20/100`); nil when malformed.
    public init?(argument: String) {
        let parts = argument.split(separator: "/")
        guard parts.count == 2, let rate = Double(parts[0]), let burst = Double(parts[1]), rate > 0, burst >= 1 else {
            return nil
        }
        self.init(perSecond: rate, burst: burst)
    }
}
