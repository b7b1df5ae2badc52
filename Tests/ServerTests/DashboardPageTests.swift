import Domain
import Experiments
import Foundation
import Testing
@testable import Engine
@testable import Ranking
@testable import Server
import Support

struct DashboardPageTests {
    static func section(description: String = "Content-heavy blend") -> DashboardPage.Section {
        let experiment = Experiment(
            key: "homepage-alpha", description: description, widgets: [.homepage], status: .running,
            variants: [ExperimentVariant(key: "control", weight: 0.5), ExperimentVariant(key: "content-heavy", weight: 0.5)])
        var rows: [UserOutcome] = []
        for i in 0..<400 {
            let treated = i % 2 == 1
            rows.append(UserOutcome(
                userID: "u\(i)", variantKey: treated ? "content-heavy" : "control", exposures: 3,
                clicks: treated ? (i % 3 == 0 ? 2 : 1) : i % 4 == 0 ? 1 : 0,
                purchases: i % 7 == 0 ? 1 : 0, revenue: i % 7 == 0 ? 25 : 0, preRevenue: Double(i % 11)))
        }
        let results = ExperimentResultsCalculator().compute(
            experiment: experiment, rows: rows, latencyP95: ["control": 38.25, "content-heavy": 47.5])
        let daily = [
            DailyVariantPerformance(date: "2026-11-20", variantKey: "control", usersExposed: 100, exposures: 300, clicks: 30, revenue: 250),
            DailyVariantPerformance(date: "2026-11-21", variantKey: "control", usersExposed: 100, exposures: 280, clicks: 35, revenue: 200),
            DailyVariantPerformance(date: "2026-11-20", variantKey: "content-heavy", usersExposed: 100, exposures: 310, clicks: 50, revenue: 300),
            DailyVariantPerformance(date: "2026-11-21", variantKey: "content-heavy", usersExposed: 100, exposures: 290, clicks: 48, revenue: 320),
        ]
        return DashboardPage.Section(experiment: experiment, results: results, daily: daily)
    }

    @Test func thePageShowsTheResultNumbersAndCharts() throws {
        let section = Self.section()
        let html = DashboardPage.render(sections: [section], generatedAt: Date(timeIntervalSince1970: 1_793_491_200))
        let results = try #require(section.results)
        let control = results.variants[0]
        #expect(html.hasPrefix("<!doctype html>"))
        #expect(html.contains(">homepage-alpha<"))
        #expect(html.contains(DashboardPage.percent(control.ctr.value, digits: 2)))
        #expect(html.contains("data-metric=\"ctr\" data-value=\"\(control.ctr.value)\""))
        #expect(html.contains("data-metric=\"revenue_per_user\" data-value=\"\(results.variants[1].revenuePerUser.value)\""))
        #expect(html.contains("38.2 ms") || html.contains("38.3 ms"))
        #expect(html.contains("47.5 ms"))
        let lift = try #require(results.variants[1].lift?.ctr.relative)
        #expect(html.contains(DashboardPage.signedPercent(lift)))
        #expect(html.components(separatedBy: "<svg").count - 1 == 2)
        #expect(html.contains("<polyline"))
        #expect(html.contains("2026-11-21"))
        #expect(!html.contains("http://cdn") && !html.contains("https://") && !html.contains("<script"))
    }

    @Test func aSlowVariantIsFlaggedByTheLatencyGuardrail() throws {
        var section = Self.section()
        #expect(!DashboardPage.render(sections: [section]).contains("latency-warning"))
        var results = try #require(section.results)
        results.variants[1].latencyP95Milliseconds = 854
        results.variants[1].latencyGuardrailBreached = results.latencyGuardrail.isBreached(p95: 854, controlP95: 38.25)
        section.results = results
        let html = DashboardPage.render(sections: [section])
        #expect(html.contains("latency-warning"))
        #expect(html.contains("content-heavy (p95 854 ms)"))
        #expect(html.contains("badge bad guardrail"))
    }

    @Test func aRunningExperimentSaysWhichWidgetSettingsItOverrides() {
        var section = Self.section()
        section.experiment.variants[1].parameters = VariantParameters(alpha: 0.8, gamma: 0.1)
        let html = DashboardPage.render(sections: [section])
        #expect(html.contains("Overrides the widget settings&#39; alpha, gamma on homepage") || html.contains("Overrides the widget settings' alpha, gamma on homepage"))
    }

    @Test func userTextIsEscaped() {
        let section = Self.section(description: "<script>alert('x')</script> & more")
        let html = DashboardPage.render(sections: [section])
        #expect(!html.contains("<script>"))
        #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; more"))
    }

    @Test func aSampleRatioMismatchShowsAWarning() throws {
        var section = Self.section()
        #expect(!DashboardPage.render(sections: [section]).contains("srm-warning"))
        var results = try #require(section.results)
        results.sampleRatio.mismatch = true
        results.sampleRatio.pValue = 1e-6
        section.results = results
        let html = DashboardPage.render(sections: [section])
        #expect(html.contains("srm-warning"))
        #expect(html.contains("Sample ratio mismatch"))
        #expect(html.contains("badge bad"))
    }

    @Test func anEmptyDashboardSaysHowToStart() {
        let html = DashboardPage.render(sections: [])
        #expect(html.contains("No experiments yet"))
        let draft = DashboardPage.Section(experiment: Experiment(
            key: "d", widgets: [.cart], variants: [ExperimentVariant(key: "a", weight: 0.5), ExperimentVariant(key: "b", weight: 0.5)]))
        #expect(DashboardPage.render(sections: [draft]).contains("No results yet"))
    }
}
