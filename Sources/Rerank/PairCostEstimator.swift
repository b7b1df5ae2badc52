import Foundation

/// The measured model time per pair, as an exponentially weighted moving average over calls,
/// so the latency budget can size the rerank window before calling the model.
///
/// Shared by every request of a reranker; one lock guards two numbers.
public final class PairCostEstimator: @unchecked Sendable {
    /// Weight of the newest measurement (0.2: about the last 10 calls matter).
    public let smoothing: Double
    private let lock = NSLock()
    private var estimate: Double?

    /// - Parameters:
    ///   - initialMillisecondsPerPair: a prior before the first measurement; `nil` means "unknown",
    ///     and an unknown cost never shrinks the window.
    ///   - smoothing: EWMA weight of each new measurement, in (0, 1].
    public init(initialMillisecondsPerPair: Double? = nil, smoothing: Double = 0.2) {
        self.estimate = initialMillisecondsPerPair
        self.smoothing = min(1, max(0.01, smoothing))
    }

    /// The current estimate in milliseconds per pair, if any.
    public var millisecondsPerPair: Double? { lock.withLock { estimate } }

    /// Records one model call of `pairs` pairs that took `milliseconds`.
    public func record(pairs: Int, milliseconds: Double) {
        guard pairs > 0, milliseconds.isFinite, milliseconds >= 0 else { return }
        let perPair = milliseconds / Double(pairs)
        lock.withLock {
            if let current = estimate {
                estimate = current + smoothing * (perPair - current)
            } else {
                estimate = perPair
            }
        }
    }

    /// How many uncached pairs fit in `budgetMilliseconds` (`nil`: no estimate, no limit).
    public func affordablePairs(budgetMilliseconds: Double) -> Int? {
        guard let perPair = millisecondsPerPair, perPair > 0 else { return nil }
        return max(0, Int((budgetMilliseconds / perPair).rounded(.down)))
    }
}
