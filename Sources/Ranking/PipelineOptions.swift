import Domain
import Rerank
import Rules

/// Everything an experiment variant may change about ranking; unset variant parameters
/// inherit these service defaults.
public struct PipelineOptions: Sendable, Hashable, Codable {
    public var weights: RankingWeights
    /// How many candidates each source proposes before blending.
    public var candidatesPerSource: Int
    public var rerank: RerankOptions
    public var rules: RuleOptions

    public init(
        weights: RankingWeights = RankingWeights(),
        candidatesPerSource: Int = 100,
        rerank: RerankOptions = RerankOptions(),
        rules: RuleOptions = RuleOptions()
    ) {
        self.weights = weights
        self.candidatesPerSource = candidatesPerSource
        self.rerank = rerank
        self.rules = rules
    }
}
