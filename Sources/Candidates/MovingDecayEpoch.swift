import Foundation

/// The epoch of a time-decay scale that grows as `exp((t − epoch)/τ)` — the trick that lets stored
/// sums (sorted-set scores, co-occurrences, user vectors) decay without being rewritten as time
/// passes — moved forward in whole steps of `step`·τ so that the scale stays inside its
/// floating-point type. Whenever `advance(toInclude:)` returns a shift, the owner multiplies what
/// it has stored by `exp(−shift)` (squares by its square). Where the epoch stands depends only on
/// the newest time seen, not on the order times arrived in.
struct MovingDecayEpoch: Sendable, Hashable {
    /// τ, in seconds.
    let timeConstant: TimeInterval
    /// How far (in τ) a time may lie past the epoch before the epoch moves.
    let step: Double
    private(set) var epoch: Date

    init(start: Date, timeConstant: TimeInterval, step: Double) {
        self.epoch = start
        self.timeConstant = timeConstant
        self.step = step
    }

    /// The first epoch of the `Float`-weighted indexes (similar users, co-purchase): 2010-01-01,
    /// τ from the half-life, steps of 20τ — weights up to e^20, their squares e^40, far inside
    /// `Float`.
    static func floatWeights(halfLifeDays: Double) -> MovingDecayEpoch {
        MovingDecayEpoch(
            start: Date(timeIntervalSince1970: 1_262_304_000), timeConstant: halfLifeDays * 86_400 / log(2), step: 20)
    }

    /// `(t − epoch)/τ`.
    func exponent(at time: Date) -> Double {
        time.timeIntervalSince(epoch) / timeConstant
    }

    /// Moves the epoch forward by whole steps when `time` lies a step or more past it; returns the
    /// shift in units of τ (0 when it did not move).
    mutating func advance(toInclude time: Date) -> Double {
        let exponent = exponent(at: time)
        guard exponent >= step else { return 0 }
        let shift = (exponent / step).rounded(.down) * step
        epoch = epoch.addingTimeInterval(shift * timeConstant)
        return shift
    }
}
