import Domain

/// The fixed order of stage 4: stock → exclusions → boosts → diversity → fill → pins.
///
/// Stage 4 has two halves: **eligibility** (stock, exclusions: what may be shown at all) and
/// **arrangement** (boosts, diversity, fill, pins: how the servable list is laid out). The
/// pipeline runs eligibility before the rerank, so the model's window holds servable items, and
/// arrangement after it. Built per request from the variant's `RuleOptions`; each rule is a small
/// `Rule` value, and a rule switched off by its options is simply not in the chain.
public struct RuleChain: Sendable {
    public let rules: [any Rule]

    /// - Parameter filtersApplied: the list already went through `StockRule` and `ExclusionRule`
    ///   with the same context (the pipeline runs them before the rerank, so the model's window
    ///   holds servable items); the chain then starts at the boosts. The fill rule still applies
    ///   the exclusions to what it adds.
    public init(options: RuleOptions, filtersApplied: Bool = false) {
        var rules = filtersApplied ? [] : Self.eligibility(options: options).rules
        let exclusions = ExclusionRule(options: options)
        if options.promotionBoost != 0 { rules.append(PromotionBoostRule(boost: options.promotionBoost)) }
        if options.newArrivalBoost != 0, options.newArrivalDays > 0 {
            rules.append(NewArrivalBoostRule(boost: options.newArrivalBoost, days: options.newArrivalDays))
        }
        if let lambda = options.mmrLambda {
            rules.append(MMRDiversityRule(lambda: lambda, window: options.diversityWindow))
        }
        if options.diversityMaxPerCategory > 0, options.diversityWindow > 0 {
            rules.append(
                CategoryDiversityRule(
                    maxPerCategory: options.diversityMaxPerCategory, window: options.diversityWindow,
                    exemptsAnchorCategory: options.diversityExemptsAnchorCategory))
        }
        if options.fill {
            rules.append(
                FillRule(
                    exclusions: exclusions,
                    maxPerCategory: options.diversityMaxPerCategory,
                    diversityWindow: options.diversityWindow,
                    exemptsAnchorCategory: options.diversityExemptsAnchorCategory
                )
            )
        }
        rules.append(PinRule())
        self.rules = rules
    }

    /// Stage 4a, eligibility: stock (when on), then exclusions.
    public static func eligibility(options: RuleOptions) -> RuleChain {
        var rules: [any Rule] = []
        if options.stockFilter { rules.append(StockRule()) }
        rules.append(ExclusionRule(options: options))
        return RuleChain(rules: rules)
    }

    /// Stage 4b, arrangement: boosts, diversity, fill (which still applies the exclusions to what
    /// it adds), pins — for a list that went through `eligibility(options:)` with the same context.
    public static func arrangement(options: RuleOptions) -> RuleChain {
        RuleChain(options: options, filtersApplied: true)
    }

    /// Explicit rules, in the given order (tests and custom chains).
    public init(rules: [any Rule]) {
        self.rules = rules
    }

    /// Runs every rule in order on one list.
    /// - Returns: the products the rules removed, with their labels (for explain).
    @discardableResult
    public func apply(to items: inout [ScoredItem], context: RuleContext) -> RuleReport {
        var report = RuleReport()
        for rule in rules {
            rule.apply(to: &items, context: context, report: &report)
        }
        return report
    }
}
