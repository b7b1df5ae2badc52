/// A two-sided interval `[lower, upper]` around an estimate.
public struct ConfidenceInterval: Sendable, Hashable, Codable {
    public var lower: Double
    public var upper: Double

    public init(lower: Double, upper: Double) {
        self.lower = lower
        self.upper = upper
    }

    /// The normal interval `estimate ± z·standardError` at `level` (0.95 → z = 1.95996…).
    public static func normal(estimate: Double, standardError: Double, level: Double = 0.95) -> ConfidenceInterval {
        let z = NormalDistribution.quantile(0.5 + level / 2)
        return ConfidenceInterval(lower: estimate - z * standardError, upper: estimate + z * standardError)
    }

    public func contains(_ value: Double) -> Bool { value >= lower && value <= upper }
}
