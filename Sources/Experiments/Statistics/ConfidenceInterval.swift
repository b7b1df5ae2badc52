import Foundation

/// A two-sided interval `[lower, upper]` around an estimate.
///
/// The constructors below are chosen so an interval never claims the impossible: a rate's
/// interval stays inside [0, 1] (Wilson), a positive ratio's above 0 (log scale), and a relative
/// lift's above −100% (log of the ratio), whatever the sample size.
public struct ConfidenceInterval: Sendable, Hashable, Codable {
    public var lower: Double
    public var upper: Double

    /// The normal interval `estimate ± z·standardError` at `level` (0.95 → z = 1.95996…).
    public static func normal(estimate: Double, standardError: Double, level: Double = 0.95) -> ConfidenceInterval {
        let z = zQuantile(level)
        return ConfidenceInterval(lower: estimate - z * standardError, upper: estimate + z * standardError)
    }

    /// The normal interval of a quantity that cannot be negative (revenue per user), cut at 0.
    public static func nonNegative(estimate: Double, standardError: Double, level: Double = 0.95) -> ConfidenceInterval {
        let interval = normal(estimate: estimate, standardError: standardError, level: level)
        return ConfidenceInterval(lower: max(0, interval.lower), upper: max(0, interval.upper))
    }

    /// Wilson's score interval of a binomial proportion `successes / trials` (no continuity
    /// correction; scipy's `binomtest(...).proportion_ci(method="wilson")`). Unlike the normal
    /// interval it stays inside [0, 1] and keeps its coverage near 0 and 1 and for small samples.
    /// `[0, 1]` when there are no trials.
    public static func wilson(successes: Int, trials: Int, level: Double = 0.95) -> ConfidenceInterval {
        guard trials > 0 else { return ConfidenceInterval(lower: 0, upper: 1) }
        let n = Double(trials)
        let p = Double(min(max(successes, 0), trials)) / n
        let z = zQuantile(level)
        let z2 = z * z
        let denominator = 1 + z2 / n
        let centre = (p + z2 / (2 * n)) / denominator
        let half = z * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot() / denominator
        return ConfidenceInterval(lower: max(0, centre - half), upper: min(1, centre + half))
    }

    /// The interval of a positive estimate on the log scale: `estimate · exp(±z·se/estimate)`
    /// (the delta method applied to `log(estimate)`), so it never reaches 0 or below. A zero
    /// estimate with no spread gives `[0, 0]`; a zero estimate with spread falls back to the
    /// normal interval cut at 0.
    public static func logScale(estimate: Double, standardError: Double, level: Double = 0.95) -> ConfidenceInterval {
        guard estimate > 0 else {
            return nonNegative(estimate: max(estimate, 0), standardError: standardError, level: level)
        }
        let spread = zQuantile(level) * standardError / estimate
        return ConfidenceInterval(lower: estimate * exp(-spread), upper: estimate * exp(spread))
    }

    /// The relative lift `treatment / control − 1` with its interval from the delta method on
    /// `log(treatment / control)`: `Var ≈ Var(t)/t² + Var(c)/c²` for independent groups, so the
    /// interval is `exp(log(t/c) ± z·√Var) − 1` and always above −100%. `nil` when either
    /// estimate is not positive (the log ratio is undefined).
    public static func relativeLift(
        treatment: Double, treatmentVariance: Double, control: Double, controlVariance: Double, level: Double = 0.95
    ) -> (lift: Double, interval: ConfidenceInterval)? {
        guard treatment > 0, control > 0 else { return nil }
        let logRatio = log(treatment / control)
        let variance = treatmentVariance / (treatment * treatment) + controlVariance / (control * control)
        let spread = zQuantile(level) * max(variance, 0).squareRoot()
        return (exp(logRatio) - 1, ConfidenceInterval(lower: exp(logRatio - spread) - 1, upper: exp(logRatio + spread) - 1))
    }

    public func contains(_ value: Double) -> Bool { value >= lower && value <= upper }

    static func zQuantile(_ level: Double) -> Double { NormalDistribution.quantile(0.5 + level / 2) }
}
