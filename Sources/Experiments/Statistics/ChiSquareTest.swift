/// Pearson's χ² goodness-of-fit test; used for the sample-ratio-mismatch check: are the users
/// per variant consistent with the configured weights?
public struct ChiSquareTest: Sendable, Hashable, Codable {
    public var statistic: Double
    public var degreesOfFreedom: Int
    public var p: Double

    /// - Parameters:
    ///   - observed: counts per category.
    ///   - expectedProportions: the configured shares (normalised here, so they need not sum to 1).
    public init(observed: [Int], expectedProportions: [Double]) {
        precondition(observed.count == expectedProportions.count, "one expected proportion per category")
        let total = Double(observed.reduce(0, +))
        let weightSum = expectedProportions.reduce(0, +)
        var statistic = 0.0
        var categories = 0
        for (count, share) in zip(observed, expectedProportions) where share > 0 {
            let expected = total * share / weightSum
            let diff = Double(count) - expected
            statistic += expected > 0 ? diff * diff / expected : 0
            categories += 1
        }
        self.statistic = statistic
        degreesOfFreedom = max(categories - 1, 1)
        p = total > 0 ? ChiSquaredDistribution.survival(statistic, degreesOfFreedom: Double(degreesOfFreedom)) : 1
    }
}
