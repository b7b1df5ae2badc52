/// Turns per-user outcomes into `ExperimentResults`: per-variant metrics with intervals, lifts
/// against the control (user-level Welch for means, delta method for ratios), the SRM check and
/// CUPED-adjusted revenue.
public struct ExperimentResultsCalculator: Sendable {
    /// Confidence level of every interval. Default 0.95.
    public var level: Double
    /// SRM is flagged below this p-value. Default 0.001 (strict: SRM is a bug signal, not a
    /// finding, and the check runs on every refresh of the dashboard).
    public var sampleRatioThreshold: Double
    /// When a variant's p95 latency is flagged. Default `LatencyGuardrail()`.
    public var latencyGuardrail: LatencyGuardrail

    public init(level: Double = 0.95, sampleRatioThreshold: Double = 0.001, latencyGuardrail: LatencyGuardrail = LatencyGuardrail()) {
        self.level = level
        self.sampleRatioThreshold = sampleRatioThreshold
        self.latencyGuardrail = latencyGuardrail
    }

    /// - Parameters:
    ///   - rows: one per (user, variant); rows of unknown variants are ignored.
    ///   - latencyP95: p95 latency per variant key (`ResultsSQL.latencyByVariant`).
    /// - Complexity: O(n) in the rows.
    public func compute(experiment: Experiment, rows: [UserOutcome], latencyP95: [String: Double] = [:]) -> ExperimentResults {
        let keys = experiment.variants.map(\.key)
        let index = Dictionary(keys.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        var groups = Array(repeating: [UserOutcome](), count: keys.count)
        for row in rows {
            if let i = index[row.variantKey] { groups[i].append(row) }
        }
        let counted = groups.flatMap { $0 }
        let cuped = CUPEDAdjustment(metric: counted.map(\.revenue), covariate: counted.map(\.preRevenue))

        let summaries = groups.map { Summary(rows: $0, cuped: cuped) }
        var variants: [VariantResult] = []
        for (i, variant) in experiment.variants.enumerated() {
            let s = summaries[i]
            var result = VariantResult(
                variantKey: variant.key,
                weight: variant.weight,
                users: s.users,
                exposures: s.exposures,
                itemsShown: s.itemsShown,
                ctr: MetricEstimate(value: s.ctr.value, interval: s.ctr.interval(level: level)),
                addToCartRate: MetricEstimate(value: s.addToCart.value, interval: s.addToCart.interval(level: level)),
                conversionRate: MetricEstimate(
                    value: s.converted.mean,
                    interval: .wilson(successes: s.convertedUsers, trials: s.converted.count, level: level)),
                revenuePerUser: nonNegativeMeanEstimate(s.revenue),
                cupedRevenuePerUser: nonNegativeMeanEstimate(s.cupedRevenue),
                latencyP95Milliseconds: latencyP95[variant.key].flatMap { $0.isFinite ? $0 : nil },
                lift: nil)
            let controlP95 = i > 0 ? experiment.variants.first.flatMap { latencyP95[$0.key] } : nil
            result.latencyGuardrailBreached = latencyGuardrail.isBreached(p95: result.latencyP95Milliseconds, controlP95: controlP95)
            if i > 0, let control = summaries.first {
                result.lift = VariantLifts(
                    ctr: ratioLift(s.ctr, control.ctr),
                    addToCartRate: ratioLift(s.addToCart, control.addToCart),
                    conversionRate: proportionLift(s.converted, control.converted),
                    revenuePerUser: meanLift(s.revenue, control.revenue),
                    cupedRevenuePerUser: meanLift(s.cupedRevenue, control.cupedRevenue))
            }
            variants.append(result)
        }

        let observed = summaries.map(\.users)
        let shares = experiment.weights
        let chi = ChiSquareTest(observed: observed, expectedProportions: shares.reduce(0, +) > 0 ? shares : BucketRange.equalWeights(shares.count))
        let srm = SampleRatioCheck(
            observed: observed, expectedShares: shares, chiSquare: finite(chi.statistic), pValue: finite(chi.p, default: 1),
            mismatch: observed.reduce(0, +) > 0 && chi.p < sampleRatioThreshold, threshold: sampleRatioThreshold)

        return ExperimentResults(
            experimentKey: experiment.key, status: experiment.status, controlVariant: keys.first ?? "",
            level: level, users: counted.count, variants: variants, sampleRatio: srm, cupedTheta: finite(cuped.theta),
            latencyGuardrail: latencyGuardrail)
    }

    /// Per-variant accumulators.
    struct Summary {
        var users = 0
        var exposures = 0
        var itemsShown = 0
        var ctr = RatioMetric()
        var addToCart = RatioMetric()
        var converted = SampleSummary()
        var convertedUsers = 0
        var revenue = SampleSummary()
        var cupedRevenue = SampleSummary()

        init(rows: [UserOutcome], cuped: CUPEDAdjustment) {
            for row in rows {
                users += 1
                exposures += row.exposures
                itemsShown += row.itemsShown
                ctr.add(numerator: Double(row.clicks), denominator: Double(row.exposures))
                addToCart.add(numerator: Double(row.addToCarts), denominator: Double(row.exposures))
                converted.add(row.purchases > 0 ? 1 : 0)
                if row.purchases > 0 { convertedUsers += 1 }
                revenue.add(row.revenue)
                cupedRevenue.add(cuped.adjust(metric: row.revenue, covariate: row.preRevenue))
            }
        }
    }

    /// Revenue cannot be negative, so neither can its interval (the normal interval cut at 0);
    /// the CUPED-adjusted mean estimates the same mean and is cut the same way.
    func nonNegativeMeanEstimate(_ s: SampleSummary) -> MetricEstimate {
        MetricEstimate(value: s.mean, interval: .nonNegative(estimate: s.mean, standardError: s.standardError, level: level))
    }

    /// Conversion (a per-user 0/1 outcome): Welch's p-value as for any mean, and the relative
    /// lift's interval on the log of the ratio of proportions with binomial variances (Katz;
    /// statsmodels' `confint_proportions_2indep(method="log", compare="ratio")`), above −100%.
    func proportionLift(_ treatment: SampleSummary, _ control: SampleSummary) -> LiftEstimate {
        var lift = meanLift(treatment, control)
        guard lift.relative != nil else { return lift }
        let pt = treatment.mean
        let pc = control.mean
        let interval = ConfidenceInterval.relativeLift(
            treatment: pt, treatmentVariance: pt * (1 - pt) / Double(treatment.count),
            control: pc, controlVariance: pc * (1 - pc) / Double(control.count), level: level)?.interval
        lift.ciLower = interval.flatMap { finiteOrNil($0.lower) }
        lift.ciUpper = interval.flatMap { finiteOrNil($0.upper) }
        return lift
    }

    func meanLift(_ treatment: SampleSummary, _ control: SampleSummary) -> LiftEstimate {
        guard treatment.count > 1, control.count > 1 else {
            return LiftEstimate(relative: nil, ciLower: nil, ciUpper: nil, pValue: 1, test: "welch")
        }
        let test = WelchTest(treatment: treatment, control: control, level: level)
        return LiftEstimate(
            relative: test.relativeLift.flatMap(finiteOrNil), ciLower: test.relativeLiftInterval.flatMap { finiteOrNil($0.lower) },
            ciUpper: test.relativeLiftInterval.flatMap { finiteOrNil($0.upper) }, pValue: finite(test.p, default: 1), test: "welch")
    }

    func ratioLift(_ treatment: RatioMetric, _ control: RatioMetric) -> LiftEstimate {
        guard treatment.users > 1, control.users > 1 else {
            return LiftEstimate(relative: nil, ciLower: nil, ciUpper: nil, pValue: 1, test: "delta")
        }
        let comparison = RatioComparison(treatment: treatment, control: control, level: level)
        return LiftEstimate(
            relative: comparison.relativeLift.flatMap(finiteOrNil),
            ciLower: comparison.relativeLiftInterval.flatMap { finiteOrNil($0.lower) },
            ciUpper: comparison.relativeLiftInterval.flatMap { finiteOrNil($0.upper) },
            pValue: finite(comparison.p, default: 1), test: "delta")
    }
}

/// JSON cannot carry NaN or infinities; results replace them.
@inline(__always) func finite(_ value: Double, default fallback: Double = 0) -> Double { value.isFinite ? value : fallback }
@inline(__always) func finiteOrNil(_ value: Double) -> Double? { value.isFinite ? value : nil }
