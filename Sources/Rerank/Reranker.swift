import Domain

/// How the cross-encoder logit and the blended score are combined into `final`.
public enum RerankCombination: String, Sendable, Hashable, Codable {
    /// `final = blended + weight · sigmoid(logit)`.
    case additive
    /// Order by logit only inside the window; `final` keeps the window above the rest.
    case replace
    /// Reciprocal-rank fusion of the blended order and the logit order.
    case reciprocalRank = "rrf"
}

/// Per-request rerank options (service defaults, overridden by the experiment variant).
public struct RerankOptions: Sendable, Hashable, Codable {
    /// How many of the top blended items are scored; 0 turns rerank off.
    public var window: Int
    public var combination: RerankCombination
    /// Weight of the cross-encoder term for `.additive`.
    public var weight: Float
    /// Latency budget for the cross-encoder; the window shrinks when it would be exceeded.
    public var budgetMilliseconds: Double?

    public init(window: Int = 20, combination: RerankCombination = .additive, weight: Float = 0.2, budgetMilliseconds: Double? = nil) {
        self.window = window
        self.combination = combination
        self.weight = weight
        self.budgetMilliseconds = budgetMilliseconds
    }
}

/// Stage 3: rescoring the head of each blended list with the cross-encoder.
public protocol Reranker: Sendable {
    /// Reranks each job's list and says what happened to it (window used, cache hits, budget) for
    /// explain and metrics: one list and one report per job, in the jobs' order.
    func rerank(_ jobs: [RerankJob]) async throws -> RerankOutcome
    /// Whether `newest`, the newest events of a shopper's possibly longer history (newest first),
    /// is all of the history this reranker reads: older events cannot change its result. Lets
    /// the service skip reading the rest. A requirement with a default (no: read everything).
    func isHistoryDecided(byNewest newest: [Interaction]) -> Bool
}

/// Stage 3's result with what it did per list (for explain notes and metrics).
public struct RerankOutcome: Sendable {
    public var lists: [[ScoredItem]]
    /// One per list, in order.
    public var reports: [RerankReport]

    public init(lists: [[ScoredItem]], reports: [RerankReport]) {
        self.lists = lists
        self.reports = reports
    }
}

extension Reranker {
    public func isHistoryDecided(byNewest newest: [Interaction]) -> Bool { false }
}
