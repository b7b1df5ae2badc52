import Domain
import Foundation
import Support

/// Paired, stratified percentile bootstrap of one engine against a base engine.
///
/// Each stratum (a backtest window) holds per-key values of several engines over the same keys in
/// the same order. One replicate draws the stratum's keys with replacement — the same draw for
/// every engine, which is what makes the comparison paired — and records each engine's mean. A
/// mean over strata averages the strata's replicate means replicate by replicate, so every window
/// keeps its own size and weight. Intervals are the 2.5th and 97.5th percentiles of the replicate
/// deltas (run − base) or ratios (run / base), interpolated linearly as `numpy.percentile` does
/// (`protocol.py`'s `bootstrap_ci`). The draws come from `SplitMix64`, so a seed gives the same
/// intervals on every machine (not numpy's draws: the numbers agree with evaluate.py's only in
/// distribution).
public struct PairedBootstrap: Sendable {
    /// A point estimate with its 95% interval.
    public struct Interval: Sendable, Hashable, Codable {
        public var estimate: Double
        public var low: Double
        public var high: Double

        /// Whether the interval lies wholly above `value` (a lift that is not noise).
        public func isAbove(_ value: Double) -> Bool { low > value }
        /// Whether the interval lies wholly below `value`.
        public func isBelow(_ value: Double) -> Bool { high < value }
    }

    /// Replicate means per stratum: `means[stratum][series][replicate]`.
    public let means: [[[Double]]]
    /// Full-sample means per stratum: `estimates[stratum][series]`.
    public let estimates: [[Double]]
    public let replicates: Int

    /// - Parameters:
    ///   - strata: `strata[s][series][key]`; within a stratum every series has the same length.
    ///   - replicates: resamples per stratum (evaluate.py's default for `--compare` is 1,000).
    ///   - seed: stratum `s` draws from `SplitMix64(seed: seed &+ s)`.
    /// - Complexity: O(replicates × Σ keys × series).
    public init(strata: [[[Double]]], replicates: Int = 1000, seed: UInt64 = 0) {
        self.replicates = replicates
        var means: [[[Double]]] = []
        var estimates: [[Double]] = []
        for (s, series) in strata.enumerated() {
            let n = series.first?.count ?? 0
            precondition(series.allSatisfy { $0.count == n }, "paired series must cover the same keys")
            estimates.append(series.map { n > 0 ? $0.reduce(0, +) / Double(n) : 0 })
            var generator = SplitMix64(seed: seed &+ UInt64(s))
            var stratumMeans = [[Double]](repeating: [Double](repeating: 0, count: replicates), count: series.count)
            var draw = [Int](repeating: 0, count: n)
            var sums = [Double](repeating: 0, count: series.count)
            for b in 0..<replicates where n > 0 {
                for i in 0..<n { draw[i] = Int(generator.next() % UInt64(n)) }
                for (j, values) in series.enumerated() {
                    var sum = 0.0
                    values.withUnsafeBufferPointer { v in
                        for index in draw { sum += v[index] }
                    }
                    sums[j] = sum
                }
                for j in series.indices { stratumMeans[j][b] = sums[j] / Double(n) }
            }
            means.append(stratumMeans)
        }
        self.means = means
        self.estimates = estimates
    }

    /// run − base in stratum `stratum`, or averaged over all strata when `stratum` is nil.
    public func delta(run: Int, base: Int, stratum: Int? = nil) -> Interval {
        interval(run: run, base: base, stratum: stratum) { $0 - $1 }
    }

    /// run / base in stratum `stratum`, or of the strata-averaged means when `stratum` is nil
    /// (NaN where the base mean is 0).
    public func ratio(run: Int, base: Int, stratum: Int? = nil) -> Interval {
        interval(run: run, base: base, stratum: stratum) { $1 != 0 ? $0 / $1 : .nan }
    }

    /// The series' mean in one stratum or averaged over strata, with its percentile interval.
    public func mean(series: Int, stratum: Int? = nil) -> Interval {
        interval(run: series, base: series, stratum: stratum) { a, _ in a }
    }

    private func interval(run: Int, base: Int, stratum: Int?, _ combine: (Double, Double) -> Double) -> Interval {
        let strata = stratum.map { [$0] } ?? Array(means.indices)
        let count = Double(strata.count)
        let runEstimate = strata.reduce(0.0) { $0 + estimates[$1][run] } / count
        let baseEstimate = strata.reduce(0.0) { $0 + estimates[$1][base] } / count
        var values: [Double] = []
        values.reserveCapacity(replicates)
        for b in 0..<replicates {
            let r = strata.reduce(0.0) { $0 + means[$1][run][b] } / count
            let m = strata.reduce(0.0) { $0 + means[$1][base][b] } / count
            values.append(combine(r, m))
        }
        values.sort()
        return Interval(
            estimate: combine(runEstimate, baseEstimate), low: Self.percentile(values, 2.5), high: Self.percentile(values, 97.5))
    }

    /// The `q`th percentile (0–100) of ascending `sorted` (`Percentile`). NaN for an empty array or
    /// when NaNs are present.
    public static func percentile(_ sorted: [Double], _ q: Double) -> Double {
        guard !sorted.contains(where: \.isNaN) else { return .nan }
        return Percentile.value(q / 100, ofSorted: sorted) ?? .nan
    }
}
