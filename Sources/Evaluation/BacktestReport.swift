import Domain
import Foundation

/// What `hybridrank backtest` prints and writes: tasks A and C for every run (pipeline variants
/// and baselines) on every window and their mean, each against a named base run with paired
/// bootstrap intervals (`PairedBootstrap`, users or baskets resampled per window).
///
/// Pure arithmetic and formatting over per-key scores the caller computed, so it is tested on
/// hand-made fixtures without data.
public struct BacktestReport: Sendable {
    /// One task's metric: its name in tables and JSON and the per-key value it averages.
    public struct Metric: Sendable {
        public var name: String
        public var value: @Sendable (RankingMetrics.KeyScore) -> Double

        public init(name: String, value: @escaping @Sendable (RankingMetrics.KeyScore) -> Double) {
            self.name = name
            self.value = value
        }
    }

    /// A task of the protocol and the metrics reported for it.
    public struct Task: Sendable {
        public var name: String
        public var title: String
        public var metrics: [Metric]

        public init(name: String, title: String, metrics: [Metric]) {
            self.name = name
            self.title = title
            self.metrics = metrics
        }

        /// Task A, homepage discovery: NDCG, Recall and HitRate @10 (model selection by NDCG).
        public static let homepage = Task(
            name: "A", title: "homepage discovery",
            metrics: [
                Metric(name: "NDCG@10", value: { $0.ndcg }), Metric(name: "Recall@10", value: { $0.recall }),
                Metric(name: "HitRate@10", value: { $0.hit }),
            ])
        /// Task C, basket completion: HitRate and MRR @10.
        public static let cart = Task(
            name: "C", title: "basket completion",
            metrics: [Metric(name: "HitRate@10", value: { $0.hit }), Metric(name: "MRR@10", value: { $0.reciprocalRank })])
    }

    /// One run's scores on one task and window: per-key values in the window's key order and the
    /// coverage of its lists.
    public struct Cell: Sendable {
        public var keyScores: [RankingMetrics.KeyScore]
        public var coverage: Double

        public init(keyScores: [RankingMetrics.KeyScore], coverage: Double) {
            self.keyScores = keyScores
            self.coverage = coverage
        }
    }

    /// A window as reported: its name and how many keys were scored out of how many it has.
    public struct WindowSample: Sendable, Codable, Hashable {
        public var name: String
        public var scored: Int
        public var available: Int
    }

    public let runs: [String]
    /// The base run of tasks added without their own.
    public let base: String
    /// Per task name, the run it is compared with.
    public private(set) var bases: [String: String] = [:]
    public let replicates: Int
    public let seed: UInt64
    /// Per task name: the windows' samples, in window order.
    public private(set) var samples: [String: [WindowSample]] = [:]
    private var tasks: [Task] = []
    /// Per task name: `cells[window][run]`.
    private var cells: [String: [[Cell]]] = [:]
    /// Per task and metric name, the bootstrap over windows and runs.
    private var bootstraps: [String: PairedBootstrap] = [:]

    public init(runs: [String], base: String, replicates: Int = 1000, seed: UInt64 = 0) {
        precondition(runs.contains(base), "the base run must be one of the runs")
        self.runs = runs
        self.base = base
        self.replicates = replicates
        self.seed = seed
    }

    /// Adds one task: `cells[window][run]` in `runs` order, every run scored on the same keys of
    /// a window, compared with `base` (default: the report's). The bootstrap draws are the same
    /// for every metric of the task.
    public mutating func add(task: Task, samples: [WindowSample], cells: [[Cell]], base: String? = nil) {
        precondition(samples.count == cells.count && cells.allSatisfy { $0.count == runs.count }, "one cell per window and run")
        precondition(runs.contains(base ?? self.base), "the base run must be one of the runs")
        bases[task.name] = base ?? self.base
        tasks.append(task)
        self.samples[task.name] = samples
        self.cells[task.name] = cells
        for metric in task.metrics {
            let strata = cells.map { row in row.map { cell in cell.keyScores.map(metric.value) } }
            bootstraps[task.name + "/" + metric.name] = PairedBootstrap(strata: strata, replicates: replicates, seed: seed)
        }
    }

    /// A metric's mean for a run on one window (`window` index) or over all windows (nil).
    public func value(task: String, metric: String, run: String, window: Int? = nil) -> Double {
        bootstraps[task + "/" + metric]!.mean(series: runIndex(run), stratum: window).estimate
    }

    /// run / base with its 95% interval, on one window or the mean of all.
    public func ratio(task: String, metric: String, run: String, window: Int? = nil) -> PairedBootstrap.Interval {
        bootstraps[task + "/" + metric]!.ratio(run: runIndex(run), base: runIndex(bases[task]!), stratum: window)
    }

    /// run − base with its 95% interval, on one window or the mean of all.
    public func delta(task: String, metric: String, run: String, window: Int? = nil) -> PairedBootstrap.Interval {
        bootstraps[task + "/" + metric]!.delta(run: runIndex(run), base: runIndex(bases[task]!), stratum: window)
    }

    private func runIndex(_ run: String) -> Int { runs.firstIndex(of: run)! }

    private func coverage(task: String, run: String, window: Int?) -> Double {
        let rows = cells[task]!
        let index = runIndex(run)
        let windows = window.map { [$0] } ?? Array(rows.indices)
        return windows.reduce(0.0) { $0 + rows[$1][index].coverage } / Double(windows.count)
    }

    /// One table per task: each window then the mean, every run with its metrics, coverage and
    /// the ratio of each metric to the base run with its 95% interval. No trailing newline.
    public var markdown: String {
        var lines: [String] = []
        for task in tasks {
            let windows = samples[task.name]!
            let sizes = windows.map { $0.scored == $0.available ? "\($0.name) \($0.scored)" : "\($0.name) \($0.scored) of \($0.available)" }
            lines.append("### Task \(task.name) — \(task.title) (\(task.name == "A" ? "users" : "baskets"): \(sizes.joined(separator: ", ")))")
            lines.append("")
            let names = task.metrics.map(\.name)
            let base = bases[task.name]!
            lines.append("| window | run | " + names.joined(separator: " | ") + " | coverage | " + names.map { "\($0) ÷ \(base) [95% CI]" }.joined(separator: " | ") + " |")
            lines.append("|---|---|" + String(repeating: "---|", count: names.count * 2 + 1))
            for window in Array(windows.indices).map(Optional.some) + [nil] {
                let label = window.map { windows[$0].name } ?? "**mean**"
                for run in runs {
                    var fields = [label, run]
                    fields += names.map { String(format: "%.4f", value(task: task.name, metric: $0, run: run, window: window)) }
                    fields.append(String(format: "%.3f", coverage(task: task.name, run: run, window: window)))
                    fields += names.map { name in
                        run == base ? "—" : Self.format(ratio(task: task.name, metric: name, run: run, window: window))
                    }
                    lines.append("| " + fields.joined(separator: " | ") + " |")
                }
            }
            lines.append("")
        }
        return lines.joined(separator: "\n").trimmingCharacters(in: .newlines)
    }

    /// `1.034× [0.991, 1.080]`.
    static func format(_ interval: PairedBootstrap.Interval) -> String {
        guard interval.estimate.isFinite else { return "n/a" }
        return String(format: "%.3f× [%.3f, %.3f]", interval.estimate, interval.low, interval.high)
    }

    /// Everything in the tables plus the deltas, as one JSON object (keys sorted).
    public func json(extra: [String: String] = [:]) throws -> Data {
        struct IntervalPair: Codable {
            var ratio: PairedBootstrap.Interval
            var delta: PairedBootstrap.Interval
        }
        struct Row: Codable {
            var task: String
            var window: String
            var run: String
            var metrics: [String: Double]
            var coverage: Double
            var versusBase: [String: IntervalPair]?
        }
        struct Document: Codable {
            var about: [String: String]
            var bases: [String: String]
            var bootstrap: [String: UInt64]
            var runs: [String]
            var samples: [String: [WindowSample]]
            var rows: [Row]
        }
        var rows: [Row] = []
        for task in tasks {
            let windows = samples[task.name]!
            for window in Array(windows.indices).map(Optional.some) + [nil] {
                for run in runs {
                    var metrics: [String: Double] = [:]
                    var versus: [String: IntervalPair] = [:]
                    for metric in task.metrics {
                        metrics[metric.name] = value(task: task.name, metric: metric.name, run: run, window: window)
                        versus[metric.name] = IntervalPair(
                            ratio: ratio(task: task.name, metric: metric.name, run: run, window: window),
                            delta: delta(task: task.name, metric: metric.name, run: run, window: window))
                    }
                    rows.append(
                        Row(
                            task: task.name, window: window.map { windows[$0].name } ?? "mean", run: run, metrics: metrics,
                            coverage: coverage(task: task.name, run: run, window: window),
                            versusBase: run == bases[task.name] ? nil : versus))
                }
            }
        }
        let document = Document(
            about: extra, bases: bases, bootstrap: ["replicates": UInt64(replicates), "seed": seed], runs: runs, samples: samples,
            rows: rows)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        // A ratio over a zero base is NaN, which JSON cannot hold: written as a string.
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try encoder.encode(document)
    }
}
