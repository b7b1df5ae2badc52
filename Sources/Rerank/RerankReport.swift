/// What stage 3 did for one list, for explain (`notes`) and metrics.
public struct RerankReport: Sendable, Hashable, Codable {
    /// `RerankOptions.window`.
    public var windowRequested: Int
    /// Items actually rescored (smaller when the list is shorter or the budget shrank it).
    public var windowUsed: Int
    /// Logits served from the score cache.
    public var cacheHits: Int
    /// Logits computed by the model for this list (0 on a fully cached context).
    public var modelPairs: Int
    /// Whether the latency budget shrank the window.
    public var shrunkForBudget: Bool
    /// Where the query text came from.
    public var querySource: RerankQueryBuilder.Source
    /// Why the list was left as blended, if it was ("no_context", "model_error", "disabled").
    public var skippedReason: String?
    public var modelVersion: String?

    public init(
        windowRequested: Int,
        windowUsed: Int = 0,
        cacheHits: Int = 0,
        modelPairs: Int = 0,
        shrunkForBudget: Bool = false,
        querySource: RerankQueryBuilder.Source = .none,
        skippedReason: String? = nil,
        modelVersion: String? = nil
    ) {
        self.windowRequested = windowRequested
        self.windowUsed = windowUsed
        self.cacheHits = cacheHits
        self.modelPairs = modelPairs
        self.shrunkForBudget = shrunkForBudget
        self.querySource = querySource
        self.skippedReason = skippedReason
        self.modelVersion = modelVersion
    }

    /// One human-readable line for the response's `notes`.
    public var note: String {
        if let skippedReason { return "rerank skipped: \(skippedReason)" }
        var line = "rerank: window \(windowUsed) of \(windowRequested), \(cacheHits) cached, \(modelPairs) scored, query from \(querySource.rawValue)"
        if shrunkForBudget { line += "; window shrunk to fit the latency budget" }
        return line
    }
}
