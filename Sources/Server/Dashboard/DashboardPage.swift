import Domain
import Experiments
import Foundation

/// The `/dashboard` page: a pure function from experiments, their results and daily series to
/// one self-contained HTML document (inline CSS, inline SVG charts, no scripts, no CDN).
///
/// Every user-supplied string is escaped (`HTMLText.escape`). Each number cell also carries its
/// raw value in `data-value` (with `data-experiment`, `data-variant`, `data-metric`), so a
/// browser test can compare the page with `GET /v1/experiments/{key}/results` exactly.
public enum DashboardPage {
    /// One experiment's part of the page.
    public struct Section: Sendable {
        public var experiment: Experiment
        /// `nil` when nothing has been computed yet (a draft, or no exposures).
        public var results: ExperimentResults?
        /// Rows of `RollupSQL.dailySeries`, any order.
        public var daily: [DailyVariantPerformance]

        public init(experiment: Experiment, results: ExperimentResults? = nil, daily: [DailyVariantPerformance] = []) {
            self.experiment = experiment
            self.results = results
            self.daily = daily
        }
    }

    /// The whole page.
    /// - Complexity: O(experiments × (variants + days × variants)).
    public static func render(sections: [Section], generatedAt: Date = Date()) -> String {
        var html = """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>HybridRank experiments</title>
            <style>\(css)</style>
            </head>
            <body>
            <header><h1>HybridRank experiments</h1><p class="muted">Generated \(HTMLText.escape(timestamp(generatedAt))) · intervals are 95%; lifts are relative to the control (first variant).</p></header>
            <main>
            """
        html += overview(sections)
        for section in sections {
            html += render(section)
        }
        html += "</main>\n</body>\n</html>\n"
        return html
    }

    // MARK: - Parts

    static func overview(_ sections: [Section]) -> String {
        guard !sections.isEmpty else {
            return #"<section class="card"><p>No experiments yet. Create one with <code>POST /v1/experiments</code> or <code>hybridrank experiments apply FILE</code>.</p></section>"#
        }
        var html = #"<section class="card"><h2>Experiments</h2><table class="list"><thead><tr><th>Experiment</th><th>Status</th><th>Widgets</th><th>Variants</th><th>Users</th><th>Sample ratio</th></tr></thead><tbody>"#
        for section in sections {
            let e = section.experiment
            let key = HTMLText.escape(e.key)
            let srm: String
            if let results = section.results {
                srm = results.sampleRatio.mismatch
                    ? #"<span class="badge bad">mismatch</span>"#
                    : #"<span class="badge good">ok</span>"#
            } else {
                srm = #"<span class="muted">–</span>"#
            }
            html += "<tr><td><a href=\"#exp-\(key)\">\(key)</a></td>"
            html += "<td><span class=\"status \(e.status.rawValue)\">\(e.status.rawValue)</span></td>"
            html += "<td>\(HTMLText.escape(e.widgets.map(\.rawValue).joined(separator: ", ")))</td>"
            html += "<td>\(e.variants.count)</td>"
            html += "<td>\(section.results.map { String($0.users) } ?? "–")</td><td>\(srm)</td></tr>"
        }
        html += "</tbody></table></section>"
        return html
    }

    static func render(_ section: Section) -> String {
        let e = section.experiment
        let key = HTMLText.escape(e.key)
        var html = "<section class=\"card experiment\" id=\"exp-\(key)\" data-experiment=\"\(key)\">"
        html += "<h2>\(key) <span class=\"status \(e.status.rawValue)\">\(e.status.rawValue)</span></h2>"
        if !e.description.isEmpty {
            html += "<p>\(HTMLText.escape(e.description))</p>"
        }
        var facts = ["widgets: " + e.widgets.map(\.rawValue).joined(separator: ", "),
                     "coverage: " + percent(e.coverage, digits: 0),
                     "hash v\(e.hashVersion), seed " + e.effectiveSeed]
        if let ns = e.namespace { facts.append("namespace \(ns.name) [\(ns.start), \(ns.end))") }
        if let start = e.startsAt { facts.append("from " + timestamp(start)) }
        if let end = e.endsAt { facts.append("until " + timestamp(end)) }
        html += "<p class=\"muted\">\(HTMLText.escape(facts.joined(separator: " · ")))</p>"
        if e.status == .running {
            // Precedence: what this experiment overrides of each widget's standing settings.
            let keys = Set(e.variants.flatMap(\.parameters.setKeys)).sorted()
            let text = keys.isEmpty
                ? "Overrides no widget settings (its variants set no parameters)."
                : "Overrides the widget settings' \(keys.joined(separator: ", ")) on \(e.widgets.map(\.rawValue).joined(separator: ", ")) for the users it assigns; everyone else keeps the widget settings."
            html += "<p class=\"precedence\">\(HTMLText.escape(text))</p>"
        }

        if let results = section.results {
            html += sampleRatio(results)
            html += latencyWarning(results)
            html += table(results, key: key)
        } else {
            html += #"<p class="muted">No results yet.</p>"#
        }
        html += charts(section)
        html += "</section>"
        return html
    }

    static func sampleRatio(_ results: ExperimentResults) -> String {
        let srm = results.sampleRatio
        let observed = srm.observed.map(String.init).joined(separator: " / ")
        let expected = srm.expectedShares.map { percent($0, digits: 1) }.joined(separator: " / ")
        if srm.mismatch {
            return "<div class=\"warning srm-warning\" role=\"alert\"><strong>Sample ratio mismatch</strong> — users per variant \(observed) do not match the configured split \(expected) (χ² = \(fixed(srm.chiSquare, 2)), \(pValue(srm.pValue)); flagged below p = \(srm.threshold)). Assignment or logging is broken; do not trust these results.</div>"
        }
        return "<p class=\"muted srm-ok\">Sample ratio OK: users \(observed) vs split \(expected) (\(pValue(srm.pValue))).</p>"
    }

    /// A warning above the table for every variant whose p95 breaches the latency guardrail.
    static func latencyWarning(_ results: ExperimentResults) -> String {
        let breached = results.variants.filter(\.latencyGuardrailBreached)
        guard !breached.isEmpty else { return "" }
        let guardrail = results.latencyGuardrail
        let names = breached.map { v in
            "\(HTMLText.escape(v.variantKey)) (p95 \(v.latencyP95Milliseconds.map { fixed($0, 0) } ?? "–") ms)"
        }
        return "<div class=\"warning latency-warning\" role=\"alert\"><strong>Latency guardrail</strong> — \(names.joined(separator: ", ")) above \(fixed(guardrail.maximumMilliseconds, 0)) ms or more than \(fixed(guardrail.maximumRatioToControl, 2))× the control's p95. A lift bought with slower pages is not a win.</div>"
    }

    static func table(_ results: ExperimentResults, key: String) -> String {
        var html = #"<div class="scroll"><table class="results"><thead><tr><th>Variant</th><th>Weight</th><th>Users</th><th>Exposures</th><th>CTR</th><th>Add-to-cart rate</th><th>Conversion</th><th>Revenue / user</th><th>CUPED revenue / user</th><th>p95 latency</th></tr></thead><tbody>"#
        for v in results.variants {
            let variant = HTMLText.escape(v.variantKey)
            func cell(_ metric: String, _ value: Double, _ text: String, _ extra: String = "") -> String {
                "<td data-experiment=\"\(key)\" data-variant=\"\(variant)\" data-metric=\"\(metric)\" data-value=\"\(raw(value))\">\(text)\(extra)</td>"
            }
            html += "<tr data-variant=\"\(variant)\"><th scope=\"row\">\(variant)\(v.lift == nil ? " <span class=\"muted\">(control)</span>" : "")</th>"
            html += cell("weight", v.weight, percent(v.weight, digits: 1))
            html += cell("users", Double(v.users), String(v.users))
            html += cell("exposures", Double(v.exposures), String(v.exposures))
            html += cell("ctr", v.ctr.value, estimate(v.ctr, percent: true), lift(v.lift?.ctr))
            html += cell("add_to_cart_rate", v.addToCartRate.value, estimate(v.addToCartRate, percent: true), lift(v.lift?.addToCartRate))
            html += cell("conversion_rate", v.conversionRate.value, estimate(v.conversionRate, percent: true), lift(v.lift?.conversionRate))
            html += cell("revenue_per_user", v.revenuePerUser.value, estimate(v.revenuePerUser, percent: false), lift(v.lift?.revenuePerUser))
            html += cell("cuped_revenue_per_user", v.cupedRevenuePerUser.value, estimate(v.cupedRevenuePerUser, percent: false), lift(v.lift?.cupedRevenuePerUser))
            if let p95 = v.latencyP95Milliseconds {
                let flag = v.latencyGuardrailBreached ? "<br><span class=\"badge bad guardrail\">guardrail</span>" : ""
                html += cell("latency_p95_ms", p95, fixed(p95, 1) + " ms", flag)
            } else {
                html += "<td class=\"muted\">–</td>"
            }
            html += "</tr>"
        }
        html += "</tbody></table></div>"
        return html
    }

    static func charts(_ section: Section) -> String {
        guard !section.daily.isEmpty else { return "" }
        let dates = Array(Set(section.daily.map(\.date))).sorted()
        var keys = section.experiment.variants.map(\.key)
        for row in section.daily where !keys.contains(row.variantKey) { keys.append(row.variantKey) }
        let byKey = Dictionary(grouping: section.daily, by: { "\($0.variantKey)\u{0}\($0.date)" })
        func series(_ metric: (DailyVariantPerformance) -> Double) -> [SVGLineChart.Series] {
            keys.map { key in
                SVGLineChart.Series(name: key, values: dates.map { date in byKey["\(key)\u{0}\(date)"]?.first.map(metric) })
            }
        }
        let ctr = SVGLineChart(title: "Daily CTR (clicks per exposure)", xLabels: dates, series: series(\.ctr), format: { percent($0, digits: 1) })
        let revenue = SVGLineChart(title: "Daily revenue per user", xLabels: dates, series: series(\.revenuePerUser), format: { fixed($0, 2) })
        return "<div class=\"charts\">\(ctr.render())\(revenue.render())</div>"
    }

    // MARK: - Formatting

    static func estimate(_ m: MetricEstimate, percent isPercent: Bool) -> String {
        let f: (Double) -> String = isPercent ? { percent($0, digits: 2) } : { fixed($0, 2) }
        return "\(f(m.value))<br><span class=\"ci\">[\(f(m.ciLower)), \(f(m.ciUpper))]</span>"
    }

    static func lift(_ lift: LiftEstimate?) -> String {
        guard let lift else { return "" }
        guard let relative = lift.relative else { return "<div class=\"lift muted\">lift n/a</div>" }
        var cls = "neutral"
        if let lower = lift.ciLower, let upper = lift.ciUpper {
            if lower > 0 { cls = "up" } else if upper < 0 { cls = "down" }
        }
        var text = signedPercent(relative)
        if let lower = lift.ciLower, let upper = lift.ciUpper {
            // On its own line: the results table must fit a 1,280 px window for two variants.
            text += "<br>[\(signedPercent(lower)), \(signedPercent(upper))]"
        }
        return "<div class=\"lift \(cls)\" data-p-value=\"\(raw(lift.pValue))\">\(text)<br><span class=\"p\">\(pValue(lift.pValue))</span></div>"
    }

    static func percent(_ value: Double, digits: Int) -> String {
        String(format: "%.\(digits)f%%", value * 100)
    }

    static func signedPercent(_ value: Double) -> String {
        String(format: "%+.1f%%", value * 100)
    }

    static func fixed(_ value: Double, _ digits: Int) -> String {
        String(format: "%.\(digits)f", value)
    }

    /// `p = 0.0123`, or `p &lt; 0.0001` for tiny values (already HTML-escaped).
    static func pValue(_ p: Double) -> String {
        p < 0.0001 ? "p &lt; 0.0001" : String(format: "p = %.4f", p)
    }

    /// Shortest round-tripping text of a value for `data-value`.
    static func raw(_ value: Double) -> String { value.isFinite ? "\(value)" : "" }

    static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601)
    }

    static let css = """
        :root{--fg:#1d2330;--muted:#6b7280;--line:#e5e7eb;--bg:#f7f8fa;--card:#fff;--good:#0a7d43;--bad:#b42318}
        *{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
        header{padding:20px 28px 4px}h1{margin:0 0 4px;font-size:22px}h2{font-size:17px;margin:0 0 8px}
        main{padding:8px 20px 20px}.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:16px 18px;margin:0 0 16px}
        .muted{color:var(--muted)}table{border-collapse:collapse;width:100%}th,td{padding:6px 8px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top;white-space:nowrap}
        thead th{font-size:11px;text-transform:uppercase;letter-spacing:.02em;color:var(--muted);white-space:normal}.scroll{overflow-x:auto}
        .results th,.results td{padding:5px 6px;font-size:13px}
        .ci{color:var(--muted);font-size:12px}.lift{font-size:12px}.lift.up{color:var(--good)}.lift.down{color:var(--bad)}.lift .p{color:var(--muted)}
        .status{font-size:11px;padding:1px 7px;border-radius:9px;border:1px solid var(--line);text-transform:uppercase}.status.running{background:#e7f6ee;color:var(--good)}.status.stopped{background:#f1f1f1}.status.draft{background:#fff7e0}
        .badge{font-size:11px;padding:1px 7px;border-radius:9px}.badge.good{background:#e7f6ee;color:var(--good)}.badge.bad{background:#fde8e7;color:var(--bad)}
        .warning{background:#fde8e7;border:1px solid #f5b5b0;color:var(--bad);border-radius:6px;padding:8px 12px;margin:8px 0}
        .charts{display:flex;flex-wrap:wrap;gap:16px;margin-top:12px}.chart{background:#fff;border:1px solid var(--line);border-radius:6px}
        .chart .grid{stroke:#eef0f3}.chart .tick,.chart .legend{font-size:10px;fill:#6b7280}.chart .chart-title{font-size:12px;font-weight:600;fill:#1d2330}
        code{background:#f1f3f5;padding:1px 4px;border-radius:4px}a{color:#0b5cad}
        """
}
