/// Welch's unequal-variance t-test of two independent samples (treatment − control), with the
/// difference's interval and the relative lift `mean_t / mean_c − 1` with its delta-method interval.
public struct WelchTest: Sendable, Hashable, Codable {
    /// `mean_t − mean_c`.
    public var difference: Double
    public var standardError: Double
    /// Welch–Satterthwaite degrees of freedom.
    public var degreesOfFreedom: Double
    public var t: Double
    /// Two-sided p-value.
    public var p: Double
    /// Interval of the difference (Student's t quantile at the Welch degrees of freedom).
    public var differenceInterval: ConfidenceInterval
    /// `mean_t / mean_c − 1`; `nil` when the control mean is 0.
    public var relativeLift: Double?
    /// Delta-method interval of the relative lift on the log of the ratio of means (always
    /// above −100%); `nil` unless both means are positive.
    public var relativeLiftInterval: ConfidenceInterval?

    /// - Complexity: O(1) given the summaries (the CDF evaluations are a few hundred flops).
    public init(treatment: SampleSummary, control: SampleSummary, level: Double = 0.95) {
        let vt = treatment.count > 0 ? treatment.variance / Double(treatment.count) : 0
        let vc = control.count > 0 ? control.variance / Double(control.count) : 0
        difference = treatment.mean - control.mean
        standardError = (vt + vc).squareRoot()
        let nt = Double(max(treatment.count - 1, 1))
        let nc = Double(max(control.count - 1, 1))
        let denominator = vt * vt / nt + vc * vc / nc
        degreesOfFreedom = denominator > 0 ? (vt + vc) * (vt + vc) / denominator : 1
        if standardError > 0 {
            t = difference / standardError
            p = StudentTDistribution.twoSidedP(t, degreesOfFreedom: degreesOfFreedom)
            let q = StudentTDistribution.quantile(0.5 + level / 2, degreesOfFreedom: degreesOfFreedom)
            differenceInterval = ConfidenceInterval(lower: difference - q * standardError, upper: difference + q * standardError)
        } else {
            t = difference == 0 ? 0 : (difference > 0 ? .infinity : -.infinity)
            p = difference == 0 ? 1 : 0
            differenceInterval = ConfidenceInterval(lower: difference, upper: difference)
        }
        if control.mean != 0 {
            relativeLift = treatment.mean / control.mean - 1
            // On log(m_t / m_c), so the interval stays above −100%; undefined (nil) unless both
            // means are positive.
            relativeLiftInterval = ConfidenceInterval.relativeLift(
                treatment: treatment.mean, treatmentVariance: vt,
                control: control.mean, controlVariance: vc, level: level)?.interval
        } else {
            relativeLift = nil
            relativeLiftInterval = nil
        }
    }

    /// Convenience over raw samples.
    public init(treatment: [Double], control: [Double], level: Double = 0.95) {
        self.init(treatment: SampleSummary(treatment), control: SampleSummary(control), level: level)
    }
}
