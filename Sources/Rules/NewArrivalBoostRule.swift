import Foundation
import Domain

/// Raises the `final` of products created in the last `days` days (relative to the request's
/// clock, `shopper.now`, so offline evaluation sees the split date's new arrivals) by `boost`
/// (+10% by default) and re-sorts the list.
/// - Complexity: O(n log n); the facts the items carry (a batched look-up for those without).
public struct NewArrivalBoostRule: Rule {
    public let name = "new_arrival"
    public var boost: Float = 0.10
    public var days: Int = 30

    public func apply(to items: inout [ScoredItem], context: RuleContext, report: inout RuleReport) {
        let now = context.shopper.now
        let since = now.addingTimeInterval(-Double(days) * 86_400)
        let label = ScoreBoost.label(RuleLabel.boostNewArrival, boost: boost)
        var changed = false
        context.attachFacts(to: &items)
        for index in items.indices {
            guard let createdAt = items[index].facts?.createdAt, createdAt >= since, createdAt <= now else { continue }
            items[index].final = ScoreBoost.boosted(items[index].final, by: boost)
            items[index].rulesFired.append(label)
            changed = true
        }
        if changed { ScoreBoost.resort(&items) }
    }
}
