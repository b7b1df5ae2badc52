import Domain

/// Raises promoted products' `final` by `boost` (+20% by default) and re-sorts the list.
/// - Complexity: O(n log n); the facts the items carry (a batched look-up for those without).
public struct PromotionBoostRule: Rule {
    public let name = "promotion"
    /// Fraction added to `final`: 0.2 = +20%.
    public var boost: Float

    public init(boost: Float = 0.20) {
        self.boost = boost
    }

    public func apply(to items: inout [ScoredItem], context: RuleContext, report: inout RuleReport) {
        let label = ScoreBoost.label(RuleLabel.boostPromotion, boost: boost)
        var changed = false
        context.attachFacts(to: &items)
        for index in items.indices {
            guard items[index].facts?.promoted == true else { continue }
            items[index].final = ScoreBoost.boosted(items[index].final, by: boost)
            items[index].rulesFired.append(label)
            changed = true
        }
        if changed { ScoreBoost.resort(&items) }
    }
}
