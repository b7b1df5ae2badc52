import Domain
import Experiments
import Rerank
import Rules

extension PipelineOptions {
    /// The service defaults with a variant's parameters laid over them: every parameter the
    /// variant leaves unset inherits the default.
    public func applying(_ parameters: VariantParameters) -> PipelineOptions {
        var options = self
        if let alpha = parameters.alpha { options.weights.content = alpha }
        if let beta = parameters.beta { options.weights.collaborative = beta }
        if let gamma = parameters.gamma { options.weights.popularity = gamma }
        if let delta = parameters.item2vecWeight { options.weights.item2vec = delta }
        if let count = parameters.candidatesPerSource { options.candidatesPerSource = count }
        if let window = parameters.rerankWindow { options.rerank.window = window }
        if let combination = parameters.rerankCombination.flatMap(RerankCombination.init(rawValue:)) {
            options.rerank.combination = combination
        }
        if let weight = parameters.rerankWeight { options.rerank.weight = weight }
        if let budget = parameters.rerankBudgetMilliseconds { options.rerank.budgetMilliseconds = budget }
        if let cap = parameters.diversityMaxPerCategory { options.rules.diversityMaxPerCategory = cap }
        if let window = parameters.diversityWindow { options.rules.diversityWindow = window }
        if let boost = parameters.promotionBoost { options.rules.promotionBoost = boost }
        if let boost = parameters.newArrivalBoost { options.rules.newArrivalBoost = boost }
        if let days = parameters.newArrivalDays { options.rules.newArrivalDays = days }
        if let lambda = parameters.mmrLambda { options.rules.mmrLambda = lambda }
        if let days = parameters.excludeRecentPurchasesDays { options.rules.excludeRecentPurchasesDays = days }
        for rule in parameters.enabledRules ?? [] { options.rules.set(rule, enabled: true) }
        for rule in parameters.disabledRules ?? [] { options.rules.set(rule, enabled: false) }
        return options
    }
}

extension RuleOptions {
    /// Switches one rule by its experiment name (`VariantParameters.knownRules`). Turning a boost
    /// or the diversity cap off sets its size to 0; turning it on restores the default size.
    mutating func set(_ rule: String, enabled: Bool) {
        let defaults = RuleOptions()
        switch rule {
        case "stock_filter": stockFilter = enabled
        case "exclude_purchased": excludePurchased = enabled
        case "exclude_context": excludeContext = enabled
        case "promotion_boost": promotionBoost = enabled ? (promotionBoost > 0 ? promotionBoost : defaults.promotionBoost) : 0
        case "new_arrival_boost": newArrivalBoost = enabled ? (newArrivalBoost > 0 ? newArrivalBoost : defaults.newArrivalBoost) : 0
        case "diversity": diversityMaxPerCategory = enabled ? (diversityMaxPerCategory > 0 ? diversityMaxPerCategory : defaults.diversityMaxPerCategory) : 0
        case "mmr": mmrLambda = enabled ? (mmrLambda ?? 0.7) : nil
        case "fill": fill = enabled
        default: break
        }
    }
}
