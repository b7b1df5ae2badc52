/// CUPED (Deng et al., 2013): variance reduction with a pre-experiment covariate.
///
/// `Y_adj = Y − θ·(X − mean(X))` with `θ = cov(Y, X) / var(X)` estimated on all users of all
/// variants together (so the adjustment cannot create a difference between them). The adjusted
/// means stay unbiased; their variance shrinks by the factor `1 − ρ²`.
public struct CUPEDAdjustment: Sendable, Hashable, Codable {
    public var theta: Double
    /// Mean of the covariate over all users.
    public var covariateMean: Double

    /// Estimates θ from paired (metric, covariate) values of all users.
    public init(metric: [Double], covariate: [Double]) {
        let summary = PairedSummary(x: covariate, y: metric)
        theta = summary.varianceX > 0 ? summary.covariance / summary.varianceX : 0
        covariateMean = summary.meanX
    }

    public init(theta: Double, covariateMean: Double) {
        self.theta = theta
        self.covariateMean = covariateMean
    }

    /// The adjusted value of one user.
    @inlinable
    public func adjust(metric: Double, covariate: Double) -> Double {
        metric - theta * (covariate - covariateMean)
    }
}
