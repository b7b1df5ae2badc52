import Foundation
import Support
import Testing
@testable import Experiments

/// Reference values come from scipy 1.x (`scipy.stats`, `scipy.special`), printed to full
/// precision and hard-coded here; the small Welch example is also worked by hand.
struct StatisticsTests {
    func close(_ a: Double?, _ b: Double, _ tolerance: Double = 1e-9) -> Bool {
        guard let a else { return false }
        return abs(a - b) <= tolerance * max(1, abs(b))
    }

    @Test func welchMatchesAHandComputedExample() {
        // a = [1,2,3,4]: mean 2.5, s² = 5/3; b = [2,4,6,8]: mean 5, s² = 20/3.
        // se² = (5/3)/4 + (20/3)/4 = 25/12; t = (2.5 − 5)/√(25/12) = −√3 = −1.7320508;
        // df = (25/12)² / ((5/12)²/3 + (5/3)²/3) = 4.4117647 (= 75/17).
        let test = WelchTest(treatment: [1, 2, 3, 4], control: [2, 4, 6, 8])
        #expect(close(test.difference, -2.5))
        #expect(close(test.t, -3.0.squareRoot()))
        #expect(close(test.degreesOfFreedom, 75.0 / 17.0))
        #expect(close(test.p, 0.15158050484530375, 1e-8))  // scipy ttest_ind(equal_var=False)
        #expect(close(test.relativeLift, -0.5))
    }

    @Test func welchMatchesScipy() {
        let a = [12.1, 14.3, 13.5, 15.2, 11.8, 16.4, 14.9, 13.3]
        let b = [10.2, 11.5, 12.8, 10.9, 11.1, 12.2, 13.0]
        let test = WelchTest(treatment: a, control: b)
        #expect(close(test.t, 3.3361061630362983))
        #expect(close(test.degreesOfFreedom, 12.178167091115231))
        #expect(close(test.p, 0.005820354806700917, 1e-8))
        #expect(close(test.differenceInterval.lower, 0.7884967427373484, 1e-8))
        #expect(close(test.differenceInterval.upper, 3.7436461144055064, 1e-8))
    }

    @Test func distributionsMatchScipy() {
        #expect(close(StudentTDistribution.cdf(1.5, degreesOfFreedom: 3.7), 0.8932009153989933, 1e-10))
        #expect(close(StudentTDistribution.cdf(-2.2, degreesOfFreedom: 10), 0.02622053422467658, 1e-10))
        #expect(close(StudentTDistribution.twoSidedP(4.0, degreesOfFreedom: 2.5), 0.03901297584131825, 1e-10))
        #expect(close(StudentTDistribution.quantile(0.975, degreesOfFreedom: 5), 2.5705818356363146, 1e-9))
        #expect(close(StudentTDistribution.quantile(0.975, degreesOfFreedom: 12.34), 2.1721732968097824, 1e-9))
        #expect(close(SpecialFunctions.regularizedIncompleteBeta(0.3, a: 2.5, b: 3.5), 0.29675298929566646, 1e-10))
        #expect(close(SpecialFunctions.regularizedIncompleteBeta(0.9, a: 0.5, b: 10), 0.9999999999815198, 1e-12))
        #expect(close(SpecialFunctions.regularizedGammaQ(2.5, 3.0), 0.30621891841327875, 1e-10))
        #expect(close(SpecialFunctions.regularizedGammaP(0.5, 0.1), 0.34527915398142317, 1e-10))
        #expect(close(ChiSquaredDistribution.survival(10, degreesOfFreedom: 3), 0.01856613546304325, 1e-10))
        #expect(close(ChiSquaredDistribution.survival(30, degreesOfFreedom: 1), 4.3204630578274955e-08, 1e-8))
        #expect(close(NormalDistribution.quantile(0.975), 1.959963984540054, 1e-12))
        #expect(close(NormalDistribution.quantile(0.001), -3.090232306167813, 1e-12))
        #expect(close(NormalDistribution.cdf(-1.3), 0.09680048458561036, 1e-12))
    }

    @Test func chiSquareGoodnessOfFitMatchesScipy() {
        let test = ChiSquareTest(observed: [48, 35, 15, 3], expectedProportions: [0.5, 0.3, 0.15, 0.05])
        #expect(close(test.statistic, 1.6864686468646881))
        #expect(test.degreesOfFreedom == 3)
        #expect(close(test.p, 0.6399463037655804, 1e-9))
    }

    @Test func sampleRatioMismatchIsFlaggedOnASkewedSample() {
        // 5200 / 4800 on a 50/50 split: χ² = 16, p = 6.33e-5 (scipy) < 0.001.
        let skewed = ChiSquareTest(observed: [5200, 4800], expectedProportions: [0.5, 0.5])
        #expect(close(skewed.statistic, 16))
        #expect(close(skewed.p, 6.334248366623988e-05, 1e-8))
        #expect(skewed.p < 0.001)
        let balanced = ChiSquareTest(observed: [5030, 4970], expectedProportions: [0.5, 0.5])
        #expect(balanced.p > 0.001)
    }

    @Test func ratioMetricUsesTheDeltaMethod() {
        // numpy: (σ_y²/μ_x² − 2μ_yσ_xy/μ_x³ + μ_y²σ_x²/μ_x⁴)/n on these users.
        let exposures: [Double] = [3, 5, 2, 8, 4, 6, 1, 7]
        let clicks: [Double] = [1, 2, 0, 3, 1, 2, 0, 4]
        var metric = RatioMetric()
        for (x, y) in zip(exposures, clicks) { metric.add(numerator: y, denominator: x) }
        #expect(close(metric.value, 0.3611111111111111))
        #expect(close(metric.variance, 0.0027353190933437866, 1e-9))
        let interval = metric.interval()
        // On the log scale: value · exp(±z·se/value), se = √variance.
        #expect(close(interval.upper, metric.value * exp(1.959963984540054 * 0.05230027813830235 / metric.value), 1e-8))
        #expect(close(interval.lower, metric.value * exp(-1.959963984540054 * 0.05230027813830235 / metric.value), 1e-8))
    }

    @Test func ratioComparisonFindsAClearLift() {
        var control = RatioMetric()
        var treatment = RatioMetric()
        for i in 0..<2_000 {
            control.add(numerator: Double(i % 10 == 0 ? 1 : 0), denominator: 1)
            treatment.add(numerator: Double(i % 5 == 0 ? 1 : 0), denominator: 1)
        }
        let comparison = RatioComparison(treatment: treatment, control: control)
        #expect(close(comparison.relativeLift, 1.0))
        #expect(comparison.p < 1e-6)
        #expect(comparison.relativeLiftInterval.map { $0.contains(1.0) && $0.lower > 0 } == true)
    }

    @Test func cupedMatchesNumpyAndReducesVariance() {
        let y: [Double] = [10, 12, 9, 15, 20, 8, 11, 14]
        let x: [Double] = [9, 11, 10, 14, 18, 7, 12, 13]
        let cuped = CUPEDAdjustment(metric: y, covariate: x)
        #expect(close(cuped.theta, 1.1163522012578615))
        #expect(close(cuped.covariateMean, 11.75))
        let adjusted = SampleSummary(zip(y, x).map { cuped.adjust(metric: $0, covariate: $1) })
        #expect(close(adjusted.variance, 0.971248876909254, 1e-9))
        #expect(close(adjusted.mean, SampleSummary(y).mean))
    }

    @Test func p95InterpolatesLikeNumpy() {
        #expect(Percentile.p95([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 100]) == 55)
        #expect(Percentile.p95([]) == nil)
        #expect(Percentile.value(0.5, of: [3, 1, 2]) == 2)
    }
}
