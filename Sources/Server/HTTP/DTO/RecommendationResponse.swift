import Domain
import Engine
import Foundation
import Ranking

/// The JSON every widget answers with (snake_case on the wire).
public struct RecommendationResponse: Codable, Sendable {
    public struct ExperimentAssignment: Codable, Sendable {
        public var key: String
        public var variant: String
    }

    public struct ItemExplanation: Codable, Sendable {
        public var content: Float
        public var coPurchase: Float
        public var similarUsers: Float
        public var popularity: Float
        public var raw: [String: Float]
        public var blended: Float
        public var crossEncoderLogit: Float?
        public var final: Float
        public var rules: [String]

        enum CodingKeys: String, CodingKey {
            case content, coPurchase = "co_purchase", similarUsers = "similar_users", popularity, raw, blended
            case crossEncoderLogit = "cross_encoder_logit", final, rules
        }
    }

    public struct Item: Codable, Sendable {
        public var productID: String
        public var name: String
        public var category: String
        public var price: Double
        public var currency: String
        public var score: Float
        public var position: Int
        public var explain: ItemExplanation?

        enum CodingKeys: String, CodingKey {
            case productID = "product_id", name, category, price, currency, score, position, explain
        }
    }

    public struct Timings: Codable, Sendable {
        public var candidates: Double
        public var scoring: Double
        public var rerank: Double
        public var rules: Double
        public var total: Double
    }

    public var requestID: String
    public var widget: String
    public var experiment: ExperimentAssignment?
    public var modelVersions: [String: String]
    public var items: [Item]
    public var generatedAt: Date
    public var timingsMs: Timings
    /// Set when the answer was degraded by a dependency outage (e.g. "redis_unavailable").
    public var degraded: [String]?
    /// Rerank details for explain: window asked for, window used, cache hits.
    public var notes: [String]?

    enum CodingKeys: String, CodingKey {
        case requestID = "request_id", widget, experiment, modelVersions = "model_versions", items
        case generatedAt = "generated_at", timingsMs = "timings_ms", degraded, notes
    }
}

extension RecommendationResponse {
    /// The document for what the service served; `explain` adds each item's stage scores.
    init(_ served: ServedRecommendation, explain: Bool) {
        self.init(
            requestID: served.requestID, widget: served.widget,
            experiment: served.selection.map { .init(key: $0.experimentKey, variant: $0.variantKey) },
            modelVersions: served.modelVersions,
            items: served.items.map { Item($0, explain: explain) },
            generatedAt: served.generatedAt,
            timingsMs: .init(
                candidates: served.timings.candidates, scoring: served.timings.scoring, rerank: served.timings.rerank,
                rules: served.timings.rules, total: served.totalMilliseconds),
            degraded: served.degraded.isEmpty ? nil : served.degraded,
            notes: served.notes)
    }
}

extension RecommendationResponse.Item {
    /// One listed product as the widgets answer it (every widget and the trending list).
    init(_ item: ServedRecommendation.Item, explain: Bool) {
        let product = item.product
        self.init(
            productID: product.id, name: product.name, category: product.category, price: product.price,
            currency: product.currency, score: item.score, position: item.position,
            explain: explain ? item.scored.map(RecommendationResponse.ItemExplanation.init) : nil)
    }
}

extension RecommendationResponse.ItemExplanation {
    /// Every stage's view of one item: normalised and raw source scores, the blend, the
    /// cross-encoder's logit when it ran, the final score and the rules that fired.
    init(_ item: ScoredItem) {
        var raw: [String: Float] = [:]
        for (origin, score) in item.rawScores where score.isFinite { raw[origin.rawValue] = score }
        self.init(
            content: item.content, coPurchase: item.coPurchase, similarUsers: item.similarUsers,
            popularity: item.popularity, raw: raw, blended: item.blended, crossEncoderLogit: item.rerankLogit,
            final: item.final, rules: item.rulesFired)
    }
}
