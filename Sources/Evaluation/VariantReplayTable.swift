import Domain
import Experiments
import Foundation
import Ranking

/// What `hybridrank replay` prints: every variant of one experiment scored offline side by side,
/// and each treatment's lift over the control (the first variant), before anyone is exposed.
///
/// Pure formatting over metrics the caller computed, so the table can be tested without data.
public struct VariantReplayTable: Sendable {
    /// One (task, variant) row.
    public struct Row: Sendable, Hashable {
        /// `A` (homepage discovery) or `C` (cart completion), as in the evaluation protocol.
        public var task: String
        public var variant: String
        /// The variant's share of traffic.
        public var trafficWeight: Double
        /// α, β, γ the variant actually ranks with on this task's widget (its overrides on the defaults).
        public var rankingWeights: RankingWeights
        public var metrics: RankingMetrics
    }

    public let experimentKey: String
    /// The variants in the experiment's order; the first is the control.
    public let variants: [ExperimentVariant]
    public private(set) var rows: [Row] = []

    public init(experiment: Experiment) {
        experimentKey = experiment.key
        variants = experiment.variants
    }

    /// Adds one task's rows. `metrics[i]` belongs to `variants[i]`; `baseWeights` are the widget's
    /// defaults, which a variant's α/β/γ override exactly as the service overrides them.
    public mutating func add(task: String, baseWeights: RankingWeights, metrics: [RankingMetrics]) {
        precondition(metrics.count == variants.count, "one metrics value per variant")
        for (variant, value) in zip(variants, metrics) {
            let weights = PipelineOptions(weights: baseWeights).applying(variant.parameters).weights
            rows.append(Row(task: task, variant: variant.key, trafficWeight: variant.weight, rankingWeights: weights, metrics: value))
        }
    }

    /// The markdown table, header included, one line per row, no trailing newline.
    public var markdown: String {
        var lines = [
            "| task | variant | weight | α,β,γ | NDCG@10 | Recall@10 | HitRate@10 | MRR@10 | coverage |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        for row in rows {
            let w = row.rankingWeights
            let m = row.metrics
            lines.append(String(
                format: "| %@ | %@ | %.2f | %.2f,%.2f,%.2f | %.4f | %.4f | %.4f | %.4f | %.3f |",
                row.task, row.variant, row.trafficWeight, Double(w.content), Double(w.collaborative), Double(w.popularity),
                m.ndcg, m.recall, m.hitRate, m.mrr, m.coverage))
        }
        return lines.joined(separator: "\n")
    }

    /// One line per non-control variant: relative NDCG@10 lift on task A and HitRate@10 lift on
    /// task C over the control, for the tasks present, e.g.
    /// `hybrid vs popularity: task A NDCG@10 +20.0%, task C HitRate@10 -5.0%`.
    public var liftLines: [String] {
        guard let control = variants.first else { return [] }
        let tasks: [(String, String, KeyPath<RankingMetrics, Double>)] = [
            ("A", "NDCG@10", \.ndcg), ("C", "HitRate@10", \.hitRate),
        ]
        return variants.dropFirst().map { variant in
            var parts: [String] = []
            for (task, label, metric) in tasks {
                guard let base = row(task: task, variant: control.key), let treated = row(task: task, variant: variant.key) else { continue }
                parts.append("task \(task) \(label) \(Self.formatLift(treated.metrics[keyPath: metric], over: base.metrics[keyPath: metric]))")
            }
            return "\(variant.key) vs \(control.key): " + (parts.isEmpty ? "no task A or C rows" : parts.joined(separator: ", "))
        }
    }

    /// `(value − control) / control` as a signed percentage with one decimal (`+20.0%`), or `n/a`
    /// when the control scored 0 (a relative lift over nothing is undefined).
    public static func formatLift(_ value: Double, over control: Double) -> String {
        guard control > 0 else { return "n/a" }
        return String(format: "%+.1f%%", (value - control) / control * 100)
    }

    /// The `--json` form: `{"experiment", "split", "rows": [{"task", "variant", "ndcg", "recall",
    /// "hit_rate", "mrr", "coverage"}]}` with sorted keys.
    public func json(split: String) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let document = JSONDocument(
            experiment: experimentKey, split: split,
            rows: rows.map {
                JSONRow(
                    task: $0.task, variant: $0.variant, ndcg: $0.metrics.ndcg, recall: $0.metrics.recall,
                    hitRate: $0.metrics.hitRate, mrr: $0.metrics.mrr, coverage: $0.metrics.coverage)
            })
        return String(decoding: try encoder.encode(document), as: UTF8.self)
    }

    private func row(task: String, variant: String) -> Row? {
        rows.first { $0.task == task && $0.variant == variant }
    }

    private struct JSONDocument: Encodable {
        var experiment: String
        var split: String
        var rows: [JSONRow]
    }

    private struct JSONRow: Encodable {
        var task: String
        var variant: String
        var ndcg: Double
        var recall: Double
        var hitRate: Double
        var mrr: Double
        var coverage: Double

        enum CodingKeys: String, CodingKey {
            case task, variant, ndcg, recall, mrr, coverage
            case hitRate = "hit_rate"
        }
    }
}
