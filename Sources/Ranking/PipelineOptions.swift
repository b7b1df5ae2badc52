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
    /// γ per shopper, shrinking with how much they have bought (`PopularityShrinkage`); `nil` =
    /// the same `weights.popularity` for everyone.
    public var popularityShrinkage: PopularityShrinkage?

    public init(
        weights: RankingWeights = RankingWeights(),
        candidatesPerSource: Int = 100,
        rerank: RerankOptions = RerankOptions(),
        rules: RuleOptions = RuleOptions(),
        popularityShrinkage: PopularityShrinkage? = nil
    ) {
        self.weights = weights
        self.candidatesPerSource = candidatesPerSource
        self.rerank = rerank
        self.rules = rules
        self.popularityShrinkage = popularityShrinkage
    }

    /// The blend weights for `shopper`: `weights`, with γ shrunk by `popularityShrinkage` when set.
    public func weights(for shopper: ShopperContext) -> RankingWeights {
        popularityShrinkage.map { $0.weights(weights, for: shopper) } ?? weights
    }
}
