/// A fixed-bucket latency histogram in seconds (Prometheus semantics: cumulative `le` buckets).
///
/// Buckets cover 0.5 ms to 10 s, which spans a cached product page and a cold rerank.
/// - Complexity: O(buckets) per observation; no allocation.
struct LatencyHistogram: Sendable {
    static let bounds: [Double] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    private(set) var counts = [UInt64](repeating: 0, count: LatencyHistogram.bounds.count + 1)
    private(set) var sum: Double = 0
    private(set) var count: UInt64 = 0

    mutating func observe(seconds: Double) {
        var index = 0
        while index < Self.bounds.count, seconds > Self.bounds[index] { index += 1 }
        counts[index] += 1
        sum += seconds
        count += 1
    }

    /// The q-quantile estimated from the buckets (upper bound of the bucket that holds it).
    func quantile(_ q: Double) -> Double {
        guard count > 0 else { return 0 }
        let target = UInt64((Double(count) * q).rounded(.up))
        var cumulative: UInt64 = 0
        for (index, bucket) in counts.enumerated() {
            cumulative += bucket
            if cumulative >= target { return index < Self.bounds.count ? Self.bounds[index] : Self.bounds.last! }
        }
        return Self.bounds.last!
    }
}
