import Foundation

/// Whole seconds since 1970 for text formats and integer keys, defined for every `Date`.
///
/// `Int(date.timeIntervalSince1970)` traps for NaN, infinities and magnitudes past 9.2·10¹⁸, and a
/// `Date` decoded from client JSON can hold any double; the API rejects such times at the edge
/// (`InputBounds.timestamps`), and this keeps every conversion total behind it.
public enum EpochSeconds {
    /// The largest magnitude kept: about ±300,000 years, past every calendar any store here
    /// accepts and far inside `Int`'s range.
    public static let limit: Double = 1e13

    /// `floor(seconds)`, clamped to ±`limit`; NaN gives `-limit`.
    public static func floor(_ date: Date) -> Int {
        let interval = date.timeIntervalSince1970
        guard !interval.isNaN else { return -Int(limit) }
        return Int(Swift.min(Swift.max(interval, -limit), limit).rounded(.down))
    }
}
