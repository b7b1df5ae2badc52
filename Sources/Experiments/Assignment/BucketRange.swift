/// A half-open interval `[start, end)` of the hash space that maps to one variation.
public struct BucketRange: Sendable, Hashable, Codable {
    public var start: Double
    public var end: Double

    /// Whether `n` lies in `[start, end)`.
    @inlinable
    public func contains(_ n: Double) -> Bool { n >= start && n < end }

    /// GrowthBook's `getBucketRanges(numVariations, coverage, weights)`.
    ///
    /// Coverage is clamped to `[0, 1]`; weights fall back to equal weights when missing, of the
    /// wrong count, or summing outside `[0.99, 1.01]` (the SDK's tolerance, kept for
    /// compatibility; the validator is stricter). Each variation keeps the start of its full
    /// weight slot so that raising coverage later never moves an assigned unit to another variant.
    public static func ranges(numVariations: Int, coverage: Double = 1, weights: [Double]? = nil) -> [BucketRange] {
        let clampedCoverage = min(max(coverage, 0), 1)
        let equal = equalWeights(numVariations)
        var chosen = weights ?? equal
        if chosen.count != numVariations { chosen = equal }
        let total = chosen.reduce(0, +)
        if total < 0.99 || total > 1.01 { chosen = equal }

        var cumulative = 0.0
        var result: [BucketRange] = []
        result.reserveCapacity(chosen.count)
        for weight in chosen {
            let start = cumulative
            cumulative += weight
            result.append(BucketRange(start: start, end: start + clampedCoverage * weight))
        }
        return result
    }

    /// `n` equal weights of `1 / n` (empty for `n <= 0`).
    public static func equalWeights(_ count: Int) -> [Double] {
        count <= 0 ? [] : Array(repeating: 1 / Double(count), count: count)
    }

    /// GrowthBook's `chooseVariation(n, ranges)`: the first range containing `n`, or -1.
    public static func chooseVariation(_ n: Double, ranges: [BucketRange]) -> Int {
        for (index, range) in ranges.enumerated() where range.contains(n) {
            return index
        }
        return -1
    }
}
