/// Percentiles with linear interpolation between order statistics (numpy's default and
/// PostgreSQL's `percentile_cont`), for the latency guardrail.
public enum Percentile {
    /// The `q`-quantile (`q` in [0, 1]) of `values`; `nil` when empty.
    /// - Complexity: O(n log n) (sorts a copy).
    public static func value(_ q: Double, of values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let position = min(max(q, 0), 1) * Double(sorted.count - 1)
        let lower = Int(position.rounded(.down))
        let upper = min(lower + 1, sorted.count - 1)
        let fraction = position - Double(lower)
        return sorted[lower] + (sorted[upper] - sorted[lower]) * fraction
    }

    /// The 95th percentile.
    public static func p95(_ values: [Double]) -> Double? { value(0.95, of: values) }
}
