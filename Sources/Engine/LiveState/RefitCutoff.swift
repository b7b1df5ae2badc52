import Foundation

/// Where a batch-fitted model's data ends: the last whole multiple of `period` since 1970 (UTC).
///
/// Replicas start at different moments, but each fits on the purchases before the same boundary
/// and refits when the next one passes, so all of them serve the same weights (the brief's "every
/// replica serves the same truth") without talking to each other.
package struct RefitCutoff: Sendable, Hashable {
    /// Seconds between boundaries (a day by default: batch weights a day old lose nothing the
    /// live co-occurrence indexes do not already carry).
    package var period: TimeInterval

    package init(period: TimeInterval = 86_400) {
        precondition(period > 0, "a positive period")
        self.period = period
    }

    /// The newest boundary at or before `now`.
    package func cutoff(at now: Date) -> Date {
        Date(timeIntervalSince1970: (now.timeIntervalSince1970 / period).rounded(.down) * period)
    }
}
