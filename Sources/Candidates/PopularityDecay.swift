import Foundation

/// Exponential time decay for popularity, as pure functions the server's Redis mirror reuses.
///
/// A count observed at time `t` is worth `exp(−(now − t)/τ)` at `now`. Keeping a sorted set up to
/// date with that directly would mean rewriting every member as time passes; instead each event adds
/// `exp((t − epoch)/τ)` to its member (`ZINCRBY key <increment> product`). Every member's stored score
/// is then the decayed score times the same factor `exp((now − epoch)/τ)`, so the order (what a
/// `ZREVRANGE` reads) is exactly the decayed order, and `decayed(stored:now:)` recovers the value.
/// Increments grow by e every τ and `Double` ends at e^709 (27 years at τ = 14 days), so a holder
/// of stored scores must re-base (move the epoch, multiplying every score by `exp(−Δ/τ)`) in time:
/// `PopularityIndex` does so itself; the server's Redis sets use a fixed shared epoch (2025, see
/// `PopularityDecay.shared`) that lasts until about 2050.
public struct PopularityDecay: Sendable, Hashable, Codable {
    /// Decay time constant τ in seconds.
    public var timeConstant: TimeInterval
    /// The reference time of stored scores.
    public var epoch: Date

    /// Defaults: τ = 14 days (tuned on the validation split, docs/benchmarks/offline-quality.md),
    /// epoch 2000-01-01.
    public init(timeConstantDays: Double = 14, epoch: Date = Date(timeIntervalSince1970: 946_684_800)) {
        self.timeConstant = timeConstantDays * 86_400
        self.epoch = epoch
    }

    /// `count · exp(−age/τ)`: the decayed worth of `count` events that happened `age` seconds ago.
    public static func score(count: Double, age: TimeInterval, timeConstant: TimeInterval) -> Double {
        count * exp(-max(0, age) / timeConstant)
    }

    /// What to add to a sorted-set member for an event of weight `weight` at `time`.
    public func increment(weight: Double = 1, at time: Date) -> Double {
        weight * exp(time.timeIntervalSince(epoch) / timeConstant)
    }

    /// The decayed score at `now` of a member whose stored (summed increments) score is `stored`.
    public func decayed(stored: Double, now: Date) -> Double {
        stored * exp(-now.timeIntervalSince(epoch) / timeConstant)
    }
}
