/// What `GET /v1/experiments/{key}/results` answers (snake_case JSON).
public struct ExperimentResults: Sendable, Hashable, Codable {
    public var experimentKey: String
    public var status: ExperimentStatus
    /// The variant lifts are measured against (the first one).
    public var controlVariant: String
    /// Confidence level of every interval (0.95).
    public var level: Double
    /// Users counted (in experiment variants only).
    public var users: Int
    public var variants: [VariantResult]
    public var sampleRatio: SampleRatioCheck
    /// CUPED's θ for revenue per user (pre-period revenue as the covariate).
    public var cupedTheta: Double
    /// The latency guardrail the variants were checked against.
    public var latencyGuardrail: LatencyGuardrail = LatencyGuardrail()

    enum CodingKeys: String, CodingKey {
        case experimentKey = "experiment_key"
        case status
        case controlVariant = "control_variant"
        case level, users, variants
        case sampleRatio = "sample_ratio"
        case cupedTheta = "cuped_theta"
        case latencyGuardrail = "latency_guardrail"
    }
}

/// One variant's metrics, each with its interval, and (for non-control variants) lifts.
public struct VariantResult: Sendable, Hashable, Codable {
    public var variantKey: String
    /// Configured traffic weight.
    public var weight: Double
    public var users: Int
    public var exposures: Int
    public var itemsShown: Int
    /// Clicks per exposure (ratio metric; delta-method interval).
    public var ctr: MetricEstimate
    /// Add-to-carts per exposure (ratio metric; delta-method interval).
    public var addToCartRate: MetricEstimate
    /// Share of users with at least one attributed purchase.
    public var conversionRate: MetricEstimate
    /// Attributed revenue per user.
    public var revenuePerUser: MetricEstimate
    /// Revenue per user after CUPED (same expectation, smaller variance).
    public var cupedRevenuePerUser: MetricEstimate
    /// p95 of the service's latency for this variant's responses (guardrail), if recorded.
    public var latencyP95Milliseconds: Double?
    /// Whether the p95 breaches `ExperimentResults.latencyGuardrail` (flagged on the dashboard).
    public var latencyGuardrailBreached: Bool = false
    /// Relative lifts against the control; `nil` for the control itself.
    public var lift: VariantLifts?

    enum CodingKeys: String, CodingKey {
        case variantKey = "variant_key"
        case weight, users, exposures
        case itemsShown = "items_shown"
        case ctr
        case addToCartRate = "add_to_cart_rate"
        case conversionRate = "conversion_rate"
        case revenuePerUser = "revenue_per_user"
        case cupedRevenuePerUser = "cuped_revenue_per_user"
        case latencyP95Milliseconds = "latency_p95_ms"
        case latencyGuardrailBreached = "latency_guardrail_breached"
        case lift
    }
}

/// A point estimate with its interval.
public struct MetricEstimate: Sendable, Hashable, Codable {
    public var value: Double
    public var ciLower: Double
    public var ciUpper: Double

    public init(value: Double, interval: ConfidenceInterval) {
        self.value = value
        self.ciLower = interval.lower
        self.ciUpper = interval.upper
    }

    enum CodingKeys: String, CodingKey {
        case value
        case ciLower = "ci_lower"
        case ciUpper = "ci_upper"
    }
}

/// Relative lift `treatment / control − 1` with its interval and the test's two-sided p-value.
public struct LiftEstimate: Sendable, Hashable, Codable {
    /// `nil` when the control's value is 0 (no relative lift defined).
    public var relative: Double?
    public var ciLower: Double?
    public var ciUpper: Double?
    public var pValue: Double
    /// Which test produced `pValue`: `welch` (user-level means) or `delta` (ratio metrics, z-test).
    public var test: String

    enum CodingKeys: String, CodingKey {
        case relative
        case ciLower = "ci_lower"
        case ciUpper = "ci_upper"
        case pValue = "p_value"
        case test
    }
}

/// The lifts of one variant against the control.
public struct VariantLifts: Sendable, Hashable, Codable {
    public var ctr: LiftEstimate
    public var addToCartRate: LiftEstimate
    public var conversionRate: LiftEstimate
    public var revenuePerUser: LiftEstimate
    public var cupedRevenuePerUser: LiftEstimate

    enum CodingKeys: String, CodingKey {
        case ctr
        case addToCartRate = "add_to_cart_rate"
        case conversionRate = "conversion_rate"
        case revenuePerUser = "revenue_per_user"
        case cupedRevenuePerUser = "cuped_revenue_per_user"
    }
}

/// Sample-ratio-mismatch check: users per variant against the configured weights (χ²).
public struct SampleRatioCheck: Sendable, Hashable, Codable {
    public var observed: [Int]
    public var expectedShares: [Double]
    public var chiSquare: Double
    public var pValue: Double
    /// Flagged when `pValue < threshold` (0.001): the split is broken and the results untrustworthy.
    public var mismatch: Bool
    public var threshold: Double

    enum CodingKeys: String, CodingKey {
        case observed
        case expectedShares = "expected_shares"
        case chiSquare = "chi_square"
        case pValue = "p_value"
        case mismatch, threshold
    }
}
