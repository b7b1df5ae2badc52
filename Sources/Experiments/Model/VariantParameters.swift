/// The ranking parameters a variant may override. Every field is optional: an unset field
/// inherits the service default (the integrator maps these onto `PipelineOptions`).
///
/// JSON keys are snake_case (`candidates_per_source`, `rerank_window`, …).
public struct VariantParameters: Sendable, Hashable, Codable {
    /// Weight of the content signal (α ≥ 0).
    public var alpha: Float?
    /// Weight of the collaborative signal (β ≥ 0).
    public var beta: Float?
    /// Weight of the popularity signal (γ ≥ 0).
    public var gamma: Float?
    /// Weight of the item2vec signal (δ ≥ 0; 0 = the item2vec source is not asked). It reaches
    /// shoppers only where the service trains item2vec (`HYBRIDRANK_ITEM2VEC`).
    public var item2vecWeight: Float?
    /// Candidates each source proposes before blending (≥ 1).
    public var candidatesPerSource: Int?
    /// How many top blended items the cross-encoder rescores; 0 turns rerank off.
    public var rerankWindow: Int?
    /// `additive`, `replace` or `rrf` (the raw values of `RerankCombination`).
    public var rerankCombination: String?
    /// Weight of the cross-encoder term for `additive` (≥ 0).
    public var rerankWeight: Float?
    /// Latency budget of the cross-encoder in milliseconds (> 0): the window shrinks to the pairs
    /// that fit, and explain says so. Unset: the full window whatever it costs.
    public var rerankBudgetMilliseconds: Double?
    /// At most this many items of one category in the diversity window (≥ 1).
    public var diversityMaxPerCategory: Int?
    /// Positions the diversity cap applies to (≥ 0; 0 = no cap).
    public var diversityWindow: Int?
    /// Multiplicative boost for promoted products (≥ 0; 0.2 = +20%).
    public var promotionBoost: Float?
    /// Multiplicative boost for new arrivals (≥ 0).
    public var newArrivalBoost: Float?
    /// How recent a product must be to count as a new arrival (≥ 0 days).
    public var newArrivalDays: Int?
    /// MMR λ in [0, 1] for catalogs without categories.
    public var mmrLambda: Float?
    /// Purchases within this many days are not suggested again (0 = off; 0...3650).
    public var excludeRecentPurchasesDays: Int?
    /// Rules switched on for this variant (names from `knownRules`).
    public var enabledRules: [String]?
    /// Rules switched off for this variant (names from `knownRules`).
    public var disabledRules: [String]?

    /// The rule names a variant may switch, matching the `Bool` switches of `RuleOptions`
    /// plus the boosts and the diversity cap (switching those off sets their size to 0).
    public static let knownRules: Set<String> = [
        "stock_filter", "exclude_purchased", "exclude_context", "promotion_boost",
        "new_arrival_boost", "diversity", "mmr", "fill",
    ]

    /// The values `rerankCombination` may take.
    public static let knownCombinations: Set<String> = ["additive", "replace", "rrf"]

    public init(
        alpha: Float? = nil, beta: Float? = nil, gamma: Float? = nil, item2vecWeight: Float? = nil,
        candidatesPerSource: Int? = nil,
        rerankWindow: Int? = nil, rerankCombination: String? = nil, rerankWeight: Float? = nil,
        rerankBudgetMilliseconds: Double? = nil,
        diversityMaxPerCategory: Int? = nil, diversityWindow: Int? = nil,
        promotionBoost: Float? = nil, newArrivalBoost: Float? = nil, newArrivalDays: Int? = nil,
        mmrLambda: Float? = nil, excludeRecentPurchasesDays: Int? = nil,
        enabledRules: [String]? = nil, disabledRules: [String]? = nil
    ) {
        self.alpha = alpha
        self.beta = beta
        self.gamma = gamma
        self.item2vecWeight = item2vecWeight
        self.candidatesPerSource = candidatesPerSource
        self.rerankWindow = rerankWindow
        self.rerankCombination = rerankCombination
        self.rerankWeight = rerankWeight
        self.rerankBudgetMilliseconds = rerankBudgetMilliseconds
        self.diversityMaxPerCategory = diversityMaxPerCategory
        self.diversityWindow = diversityWindow
        self.promotionBoost = promotionBoost
        self.newArrivalBoost = newArrivalBoost
        self.newArrivalDays = newArrivalDays
        self.mmrLambda = mmrLambda
        self.excludeRecentPurchasesDays = excludeRecentPurchasesDays
        self.enabledRules = enabledRules
        self.disabledRules = disabledRules
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case alpha, beta, gamma
        case item2vecWeight = "item2vec_weight"
        case candidatesPerSource = "candidates_per_source"
        case rerankWindow = "rerank_window"
        case rerankCombination = "rerank_combination"
        case rerankWeight = "rerank_weight"
        case rerankBudgetMilliseconds = "rerank_budget_ms"
        case diversityMaxPerCategory = "diversity_max_per_category"
        case diversityWindow = "diversity_window"
        case promotionBoost = "promotion_boost"
        case newArrivalBoost = "new_arrival_boost"
        case newArrivalDays = "new_arrival_days"
        case mmrLambda = "mmr_lambda"
        case excludeRecentPurchasesDays = "exclude_recent_purchases_days"
        case enabledRules = "enabled_rules"
        case disabledRules = "disabled_rules"
    }

    /// Strict: a key outside `CodingKeys` is a `FieldError` naming it (with the nearest known
    /// key), never silently dropped.
    public init(from decoder: any Decoder) throws {
        let c = try StrictKeys.container(decoder, keyedBy: CodingKeys.self)
        alpha = try c.decodeIfPresent(Float.self, forKey: .alpha)
        beta = try c.decodeIfPresent(Float.self, forKey: .beta)
        gamma = try c.decodeIfPresent(Float.self, forKey: .gamma)
        item2vecWeight = try c.decodeIfPresent(Float.self, forKey: .item2vecWeight)
        candidatesPerSource = try c.decodeIfPresent(Int.self, forKey: .candidatesPerSource)
        rerankWindow = try c.decodeIfPresent(Int.self, forKey: .rerankWindow)
        rerankCombination = try c.decodeIfPresent(String.self, forKey: .rerankCombination)
        rerankWeight = try c.decodeIfPresent(Float.self, forKey: .rerankWeight)
        rerankBudgetMilliseconds = try c.decodeIfPresent(Double.self, forKey: .rerankBudgetMilliseconds)
        diversityMaxPerCategory = try c.decodeIfPresent(Int.self, forKey: .diversityMaxPerCategory)
        diversityWindow = try c.decodeIfPresent(Int.self, forKey: .diversityWindow)
        promotionBoost = try c.decodeIfPresent(Float.self, forKey: .promotionBoost)
        newArrivalBoost = try c.decodeIfPresent(Float.self, forKey: .newArrivalBoost)
        newArrivalDays = try c.decodeIfPresent(Int.self, forKey: .newArrivalDays)
        mmrLambda = try c.decodeIfPresent(Float.self, forKey: .mmrLambda)
        excludeRecentPurchasesDays = try c.decodeIfPresent(Int.self, forKey: .excludeRecentPurchasesDays)
        enabledRules = try c.decodeIfPresent([String].self, forKey: .enabledRules)
        disabledRules = try c.decodeIfPresent([String].self, forKey: .disabledRules)
    }

    /// Whether the variant changes nothing (a pure control).
    public var isEmpty: Bool { self == VariantParameters() }
}
