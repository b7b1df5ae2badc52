/// What stage 3 did for one list, for explain (`notes`) and metrics.
public struct RerankReport: Sendable, Hashable, Codable {
    /// `RerankOptions.window`.
    public var windowRequested: Int
    /// Items actually rescored (smaller when the list is shorter or the budget shrank it).
    public var windowUsed: Int = 0
    /// Logits served from the score cache.
    public var cacheHits: Int = 0
    /// Logits computed by the model for this list (0 on a fully cached context).
    public var modelPairs: Int = 0
    /// Whether the latency budget shrank the window.
    public var shrunkForBudget: Bool = false
    /// Where the query text came from.
    public var querySource: RerankQueryBuilder.Source = .none
    /// Why the list was left as blended, if it was ("no_context", "model_error", "disabled").
    public var skippedReason: String?
    public var modelVersion: String?

    /// One human-readable line for the response's `notes`.
    public var note: String {
        if let skippedReason { return "rerank skipped: \(skippedReason)" }
        var line = "rerank: window \(windowUsed) of \(windowRequested), \(cacheHits) cached, \(modelPairs) scored, query from \(querySource.rawValue)"
        if shrunkForBudget { line += "; window shrunk to fit the latency budget" }
        return line
    }
}

extension RerankReport {
    /// A report for a reranker outside this module (which cannot see the memberwise initialiser):
    /// the window asked for and the one used.
    public init(windowRequested: Int, windowUsed: Int) {
        self.windowRequested = windowRequested
        self.windowUsed = windowUsed
    }
}
