import Domain
import Experiments
import Foundation
import Ranking

/// What one widget request produced, before any wire format: the listed products in order, the
/// experiment it ran under, how long each stage took, and what explain shows. The HTTP layer turns
/// it into its response document; the exposure was queued from the same list.
public struct ServedRecommendation: Sendable {
    /// One listed product, at `position` (1-based) in the list.
    public struct Item: Sendable {
        public var product: Product
        /// The final score the list is ordered by.
        public var score: Float
        public var position: Int
        /// Every stage's scores and the rules that fired, when the list came from the pipeline
        /// (nil for the trending list, which runs no stage beyond popularity).
        public var scored: ScoredItem?
    }

    public var requestID: String
    /// The widget's name (`homepage`, …, or `trending`).
    public var widget: String
    public var selection: VariantSelection?
    public var modelVersions: [String: String]
    public var items: [Item]
    public var generatedAt: Date
    public var timings: StageTimings
    /// The request's own end-to-end time in the service, in milliseconds.
    public var totalMilliseconds: Double
    /// Dependencies whose outage degraded the answer (`redis_unavailable`, …); empty when none.
    public var degraded: [String]
    /// Explain's notes (where the options came from, the rerank window, removals); nil unless asked.
    public var notes: [String]?
}
