import Foundation
import NIOConcurrencyHelpers

/// The service's own metrics, served as Prometheus text at `/metrics`.
///
/// Series are created on first use and kept (like Hummingbird's `MetricsMiddleware` caching its
/// objects); names follow OpenTelemetry style with Prometheus underscores.
public final class ServiceMetrics: Sendable {
    private struct State {
        var requestDurations: [String: LatencyHistogram] = [:]  // key: route|status class
        var stageDurations: [String: LatencyHistogram] = [:]  // key: stage
        var counters: [String: Double] = [:]  // key: full series name with labels
        var gauges: [String: @Sendable () -> Double] = [:]
    }

    private let state = NIOLockedValueBox(State())

    public init() {}

    /// Records one HTTP request's latency under its route template (never the raw path: bounded cardinality).
    public func recordRequest(route: String, method: String, status: Int, seconds: Double) {
        let key = "\(method) \(route)|\(status / 100)xx"
        state.withLockedValue { $0.requestDurations[key, default: LatencyHistogram()].observe(seconds: seconds) }
    }

    public func recordStage(_ stage: String, milliseconds: Double) {
        state.withLockedValue { $0.stageDurations[stage, default: LatencyHistogram()].observe(seconds: milliseconds / 1000) }
    }

    /// Adds to a counter series, e.g. `increment("hybridrank_rerank_cache_total", labels: ["result": "hit"])`.
    public func increment(_ name: String, labels: [String: String] = [:], by amount: Double = 1) {
        let series = Self.series(name, labels)
        state.withLockedValue { $0.counters[series, default: 0] += amount }
    }

    /// Registers a gauge read at scrape time (queue depths).
    public func registerGauge(_ name: String, labels: [String: String] = [:], read: @escaping @Sendable () -> Double) {
        let series = Self.series(name, labels)
        state.withLockedValue { $0.gauges[series] = read }
    }

    /// p95 of a stage, in milliseconds (the latency guardrail reads it).
    public func stageQuantile(_ stage: String, _ q: Double) -> Double? {
        state.withLockedValue { $0.stageDurations[stage]?.quantile(q) }.map { $0 * 1000 }
    }

    public func counterValue(_ name: String, labels: [String: String] = [:]) -> Double {
        let series = Self.series(name, labels)
        return state.withLockedValue { $0.counters[series] ?? 0 }
    }

    /// The Prometheus text exposition format.
    public func prometheusText() -> String {
        let snapshot = state.withLockedValue { $0 }
        var out = ""
        out += "# HELP http_server_request_duration_seconds HTTP request latency by route.\n"
        out += "# TYPE http_server_request_duration_seconds histogram\n"
        for (key, histogram) in snapshot.requestDurations.sorted(by: { $0.key < $1.key }) {
            let parts = key.split(separator: "|", maxSplits: 1)
            let methodRoute = parts[0].split(separator: " ", maxSplits: 1)
            let labels = "http_request_method=\"\(methodRoute[0])\",http_route=\"\(Self.escape(String(methodRoute[1])))\",http_response_status_class=\"\(parts[1])\""
            Self.append(histogram, name: "http_server_request_duration_seconds", labels: labels, to: &out)
        }
        out += "# HELP hybridrank_stage_duration_seconds Time per ranking stage.\n"
        out += "# TYPE hybridrank_stage_duration_seconds histogram\n"
        for (stage, histogram) in snapshot.stageDurations.sorted(by: { $0.key < $1.key }) {
            Self.append(histogram, name: "hybridrank_stage_duration_seconds", labels: "stage=\"\(stage)\"", to: &out)
        }
        Self.append(snapshot.counters, kind: "counter", to: &out)
        Self.append(snapshot.gauges.mapValues { $0() }, kind: "gauge", to: &out)
        return out
    }

    /// Writes counter or gauge series sorted by name, with one `# HELP` / `# TYPE` header per
    /// family (the series' name before its labels), as the exposition format asks.
    private static func append(_ series: [String: Double], kind: String, to out: inout String) {
        var lastName = ""
        for (series, value) in series.sorted(by: { $0.key < $1.key }) {
            let name = String(series.prefix(while: { $0 != "{" }))
            if name != lastName {
                out += "# HELP \(name) \(help(for: name, kind: kind))\n# TYPE \(name) \(kind)\n"
                lastName = name
            }
            out += "\(series) \(value)\n"
        }
    }

    /// What each counter and gauge family means, for its `# HELP` line. A family missing here
    /// still gets a HELP line naming its kind, so every family is described.
    static let helpTexts: [String: String] = [
        "hybridrank_access_rejections_total": "Requests refused by access control, by reason (missing or invalid key, scope, origin).",
        "hybridrank_basket_model_fitted_up_to_timestamp_seconds":
            "The boundary (Unix seconds) the cart's basket model was fitted up to: purchases before it are in its weights (0 before the first fit).",
        "hybridrank_basket_model_products": "Products the cart's basket model holds weights for.",
        "hybridrank_events_total": "Events accepted by POST /v1/events (durable in PostgreSQL), by event type.",
        "hybridrank_events_rejected_total": "Events refused by POST /v1/events, by reason.",
        "hybridrank_exposure_queue_depth": "Exposures queued in memory and not yet written to PostgreSQL.",
        "hybridrank_exposure_queue_oldest_age_seconds": "Age of the oldest exposure still queued in memory (0 when the queue is empty).",
        "hybridrank_exposures_dead_lettered_total": "Exposures PostgreSQL refused for good (kept in the dead-letter log), by SQLSTATE.",
        "hybridrank_exposures_dropped_total": "Exposures dropped because the in-memory queue was full, by reason.",
        "hybridrank_rate_limit_local_checks_total": "Rate-limit checks made in this replica's memory because Redis was unavailable.",
        "hybridrank_rate_limited_total": "Requests refused with 429 over the rate limit, by the caller's scope.",
        "hybridrank_redis_errors_total": "Redis calls that failed, by operation (the answer was degraded, not failed).",
        "hybridrank_rerank_cache_total": "Cross-encoder score look-ups, by result (hit or miss).",
    ]

    static func help(for name: String, kind: String) -> String {
        helpTexts[name] ?? "HybridRank \(kind) \(name)."
    }

    private static func append(_ histogram: LatencyHistogram, name: String, labels: String, to out: inout String) {
        var cumulative: UInt64 = 0
        for (index, bound) in LatencyHistogram.bounds.enumerated() {
            cumulative += histogram.counts[index]
            out += "\(name)_bucket{\(labels),le=\"\(bound)\"} \(cumulative)\n"
        }
        out += "\(name)_bucket{\(labels),le=\"+Inf\"} \(histogram.count)\n"
        out += "\(name)_sum{\(labels)} \(histogram.sum)\n"
        out += "\(name)_count{\(labels)} \(histogram.count)\n"
    }

    /// `name{key="value",…}` with the labels sorted by key. Counters are bumped on every widget
    /// request, so this skips Foundation's search-and-replace for values with nothing to escape
    /// (nearly all).
    static func series(_ name: String, _ labels: [String: String]) -> String {
        guard !labels.isEmpty else { return name }
        var out = name
        out.append("{")
        for (index, (key, value)) in labels.sorted(by: { $0.key < $1.key }).enumerated() {
            if index > 0 { out.append(",") }
            out.append(key)
            out.append("=\"")
            out.append(escape(value))
            out.append("\"")
        }
        out.append("}")
        return out
    }

    static func escape(_ value: String) -> String {
        guard value.utf8.contains(where: { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\"") }) else { return value }
        return value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    }
}
