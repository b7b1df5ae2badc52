/// Count, mean and unbiased variance of a sample, accumulated in one pass (Welford), so
/// per-variant summaries can be built while streaming per-user rows.
public struct SampleSummary: Sendable, Hashable, Codable {
    public private(set) var count: Int = 0
    public private(set) var mean: Double = 0
    private var m2: Double = 0

    public init() {}

    public init(_ values: some Sequence<Double>) {
        for value in values { add(value) }
    }

    /// Adds one observation. - Complexity: O(1).
    public mutating func add(_ value: Double) {
        count += 1
        let delta = value - mean
        mean += delta / Double(count)
        m2 += delta * (value - mean)
    }

    /// Unbiased sample variance (n − 1 denominator); 0 for fewer than two observations.
    public var variance: Double { count > 1 ? m2 / Double(count - 1) : 0 }

    public var standardDeviation: Double { variance.squareRoot() }

    /// Standard error of the mean.
    public var standardError: Double { count > 0 ? (variance / Double(count)).squareRoot() : 0 }

    public var sum: Double { mean * Double(count) }
}

/// Mean, variances and covariance of paired observations (x, y), one pass.
public struct PairedSummary: Sendable, Hashable {
    public private(set) var count: Int = 0
    public private(set) var meanX: Double = 0
    public private(set) var meanY: Double = 0
    private var m2x: Double = 0
    private var m2y: Double = 0
    private var cxy: Double = 0

    public init() {}

    public init(x: [Double], y: [Double]) {
        precondition(x.count == y.count, "paired samples must have the same length")
        for (a, b) in zip(x, y) { add(x: a, y: b) }
    }

    public mutating func add(x: Double, y: Double) {
        count += 1
        let n = Double(count)
        let dx = x - meanX
        meanX += dx / n
        let dy = y - meanY
        meanY += dy / n
        m2x += dx * (x - meanX)
        m2y += dy * (y - meanY)
        cxy += dx * (y - meanY)
    }

    public var varianceX: Double { count > 1 ? m2x / Double(count - 1) : 0 }
    public var varianceY: Double { count > 1 ? m2y / Double(count - 1) : 0 }
    public var covariance: Double { count > 1 ? cxy / Double(count - 1) : 0 }
}
