import Domain
import Foundation
import Testing
@testable import Experiments

struct ExperimentResultsCalculatorTests {
    static let experiment = Experiment(
        key: "rpu", widgets: [.homepage], status: .running,
        variants: [ExperimentVariant(key: "control", weight: 0.5), ExperimentVariant(key: "treatment", weight: 0.5)])

    /// Deterministic users: treatment clicks and buys more; revenue correlates with pre-revenue.
    static func rows(control: Int, treatment: Int) -> [UserOutcome] {
        var rows: [UserOutcome] = []
        for i in 0..<(control + treatment) {
            let isTreatment = i >= control
            let pre = Double((i * 37) % 50)
            let buys = isTreatment ? i % 4 == 0 : i % 5 == 0
            rows.append(UserOutcome(
                userID: "u\(i)", variantKey: isTreatment ? "treatment" : "control",
                exposures: 2 + i % 3, itemsShown: 20, clicks: isTreatment ? (i % 3 == 0 ? 2 : 1) : i % 2,
                addToCarts: buys ? 1 : 0, purchases: buys ? 1 : 0,
                revenue: (buys ? 30 : 0) + pre * 0.5, preRevenue: pre))
        }
        return rows
    }

    @Test func aBetterTreatmentShowsPositiveSignificantLifts() throws {
        let results = ExperimentResultsCalculator().compute(
            experiment: Self.experiment, rows: Self.rows(control: 4_000, treatment: 4_000),
            latencyP95: ["control": 41.5, "treatment": 44.0])
        #expect(results.users == 8_000)
        #expect(results.variants.map(\.users) == [4_000, 4_000])
        let treatment = results.variants[1]
        let lift = try #require(treatment.lift)
        #expect((lift.ctr.relative ?? 0) > 0 && lift.ctr.pValue < 0.05 && lift.ctr.test == "delta")
        #expect((lift.conversionRate.relative ?? 0) > 0 && lift.conversionRate.pValue < 0.05)
        #expect((lift.revenuePerUser.relative ?? 0) > 0 && lift.revenuePerUser.pValue < 0.05 && lift.revenuePerUser.test == "welch")
        #expect((lift.revenuePerUser.ciLower ?? -1) > 0)
        #expect(results.variants[0].lift == nil)
        #expect(!results.sampleRatio.mismatch)
        #expect(treatment.latencyP95Milliseconds == 44.0)
        // The control's conversion: every 5th user of the first 4000 → 0.2.
        #expect(abs(results.variants[0].conversionRate.value - 0.2) < 1e-12)
        #expect(results.variants[0].conversionRate.ciLower < 0.2 && results.variants[0].conversionRate.ciUpper > 0.2)
    }

    @Test func cupedNarrowsTheRevenueInterval() {
        let results = ExperimentResultsCalculator().compute(experiment: Self.experiment, rows: Self.rows(control: 2_000, treatment: 2_000))
        #expect(results.cupedTheta > 0)
        for variant in results.variants {
            let raw = variant.revenuePerUser.ciUpper - variant.revenuePerUser.ciLower
            let adjusted = variant.cupedRevenuePerUser.ciUpper - variant.cupedRevenuePerUser.ciLower
            #expect(adjusted < raw)
        }
    }

    @Test func aSkewedSplitIsFlaggedAsSampleRatioMismatch() {
        let results = ExperimentResultsCalculator().compute(experiment: Self.experiment, rows: Self.rows(control: 5_400, treatment: 4_600))
        #expect(results.sampleRatio.mismatch)
        #expect(results.sampleRatio.pValue < 0.001)
        #expect(results.sampleRatio.observed == [5_400, 4_600])
    }

    @Test func emptyAndTinyInputsStayFiniteAndEncode() throws {
        for rows in [[], Array(Self.rows(control: 1, treatment: 1))] {
            let results = ExperimentResultsCalculator().compute(experiment: Self.experiment, rows: rows)
            #expect(!results.sampleRatio.mismatch)
            #expect(results.variants[1].lift?.revenuePerUser.pValue == 1)
            _ = try JSONEncoder().encode(results)
        }
    }

    @Test func resultsEncodeAsSnakeCase() throws {
        let results = ExperimentResultsCalculator().compute(experiment: Self.experiment, rows: Self.rows(control: 100, treatment: 100))
        let json = String(decoding: try JSONEncoder().encode(results), as: UTF8.self)
        for key in ["\"experiment_key\"", "\"revenue_per_user\"", "\"ci_lower\"", "\"p_value\"", "\"sample_ratio\"",
                    "\"cuped_revenue_per_user\"", "\"add_to_cart_rate\"", "\"conversion_rate\"", "\"cuped_theta\""] {
            #expect(json.contains(key), "\(key)")
        }
    }

    @Test func theLatencyGuardrailFlagsAnAbsoluteCeilingAndARegressionAgainstTheControl() {
        let guardrail = LatencyGuardrail()
        #expect(guardrail.isBreached(p95: 854, controlP95: 800))
        #expect(guardrail.isBreached(p95: 60, controlP95: 40))
        #expect(!guardrail.isBreached(p95: 45, controlP95: 40))
        #expect(!guardrail.isBreached(p95: nil, controlP95: 40))
        #expect(!guardrail.isBreached(p95: 499, controlP95: nil))
        let experiment = Experiment(
            key: "slow", widgets: [.homepage], status: .running,
            variants: [ExperimentVariant(key: "control", weight: 0.5), ExperimentVariant(key: "treatment", weight: 0.5)])
        let rows = (0..<20).map { UserOutcome(userID: "u\($0)", variantKey: $0 % 2 == 0 ? "control" : "treatment", exposures: 1) }
        let results = ExperimentResultsCalculator().compute(
            experiment: experiment, rows: rows, latencyP95: ["control": 40, "treatment": 854])
        #expect(results.variants[0].latencyGuardrailBreached == false)
        #expect(results.variants[1].latencyGuardrailBreached == true)
    }
}
