/// Percentiles with linear interpolation between closest ranks (numpy's default `linear` method and
/// PostgreSQL's `percentile_cont`, which `ResultsSQL.latencyByVariant` computes the latency
/// guardrail with): the backtests' bootstrap intervals and the tests of that SQL read the same rule.
public enum Percentile {
    /// The `q`-quantile (`q` in [0, 1], clamped) of ascending `sorted`; `nil` when empty.
    public static func value(_ q: Double, ofSorted sorted: [Double]) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let position = min(max(q, 0), 1) * Double(sorted.count - 1)
        let lower = Int(position.rounded(.down))
        let upper = min(lower + 1, sorted.count - 1)
        let fraction = position - Double(lower)
        return sorted[lower] + (sorted[upper] - sorted[lower]) * fraction
    }

    /// The `q`-quantile of `values` in any order; `nil` when empty.
    /// - Complexity: O(n log n) (sorts a copy).
    public static func value(_ q: Double, of values: [Double]) -> Double? {
        value(q, ofSorted: values.sorted())
    }

    /// The 95th percentile.
    public static func p95(_ values: [Double]) -> Double? { value(0.95, of: values) }
}
