/// A ratio of per-user sums, `Σ numerator / Σ denominator` (clicks per exposure, add-to-carts per
/// exposure), with its variance by the delta method — the user, not the exposure, is the
/// independent unit, so exposures of one user are not treated as independent trials.
///
/// `Var(R) ≈ (1/n)·(σ_y²/μ_x² − 2·μ_y·σ_xy/μ_x³ + μ_y²·σ_x²/μ_x⁴)` with per-user means μ,
/// variances σ² and covariance σ_xy.
public struct RatioMetric: Sendable, Hashable {
    public private(set) var pairs = PairedSummary()

    public init() {}

    /// Adds one user's denominator and numerator (e.g. exposures, clicks).
    public mutating func add(numerator: Double, denominator: Double) {
        pairs.add(x: denominator, y: numerator)
    }

    public var users: Int { pairs.count }

    /// The ratio `μ_y / μ_x`; 0 when there is no denominator.
    public var value: Double { pairs.meanX > 0 ? pairs.meanY / pairs.meanX : 0 }

    /// Delta-method variance of the ratio.
    public var variance: Double {
        let n = Double(pairs.count)
        let mx = pairs.meanX
        guard n > 1, mx > 0 else { return 0 }
        let my = pairs.meanY
        let v = (pairs.varianceY / (mx * mx) - 2 * my * pairs.covariance / (mx * mx * mx)
            + my * my * pairs.varianceX / (mx * mx * mx * mx)) / n
        return max(v, 0)
    }

    public var standardError: Double { variance.squareRoot() }

    /// On the log scale (`ConfidenceInterval.logScale`): a rate of events per exposure cannot be
    /// negative, and a normal interval around a small rate would say it could.
    public func interval(level: Double = 0.95) -> ConfidenceInterval {
        .logScale(estimate: value, standardError: standardError, level: level)
    }
}

/// Treatment vs control on a ratio metric: z-test of the difference and the relative lift
/// `R_t / R_c − 1` with its delta-method interval on the log of the ratio.
public struct RatioComparison: Sendable, Hashable, Codable {
    public var difference: Double
    public var standardError: Double
    public var z: Double
    public var p: Double
    public var relativeLift: Double?
    public var relativeLiftInterval: ConfidenceInterval?

    public init(treatment: RatioMetric, control: RatioMetric, level: Double = 0.95) {
        difference = treatment.value - control.value
        standardError = (treatment.variance + control.variance).squareRoot()
        if standardError > 0 {
            z = difference / standardError
            p = NormalDistribution.twoSidedP(z)
        } else {
            z = 0
            p = difference == 0 ? 1 : 0
        }
        if control.value > 0 {
            relativeLift = treatment.value / control.value - 1
            // On log(R_t / R_c), so the interval stays above −100% (nil when R_t is 0).
            relativeLiftInterval = ConfidenceInterval.relativeLift(
                treatment: treatment.value, treatmentVariance: treatment.variance,
                control: control.value, controlVariance: control.variance, level: level)?.interval
        } else {
            relativeLift = nil
            relativeLiftInterval = nil
        }
    }
}
