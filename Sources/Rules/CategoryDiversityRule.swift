import Domain

/// At most `maxPerCategory` items of one category in the first `window` positions (3 of 10 by
/// default). Items over the cap are not dropped but demoted to just below the window, in their
/// score order; items without a category are unconstrained.
///
/// If the list holds too few items of other categories to fill the window, the demoted items
/// follow the short head (the cap then holds for the positions that could be filled diversely).
/// - Complexity: O(n); reads the facts the items carry (a look-up for one without).
public struct CategoryDiversityRule: Rule {
    public let name = "category_diversity"
    public var maxPerCategory: Int
    public var window: Int
    /// Items of the anchor product's category are not capped (`RuleOptions.diversityExemptsAnchorCategory`).
    public var exemptsAnchorCategory: Bool

    public init(maxPerCategory: Int = 3, window: Int = 10, exemptsAnchorCategory: Bool = false) {
        self.maxPerCategory = maxPerCategory
        self.window = window
        self.exemptsAnchorCategory = exemptsAnchorCategory
    }

    public func apply(to items: inout [ScoredItem], context: RuleContext, report: inout RuleReport) {
        guard maxPerCategory > 0, window > 0, items.count > 1 else { return }
        var head: [ScoredItem] = []
        var demoted: [ScoredItem] = []
        head.reserveCapacity(window)
        var tally = CategoryTally(capacity: window)
        let exempt = exemptsAnchorCategory ? context.anchorCategory : nil
        var index = 0
        while index < items.count, head.count < window {
            var item = items[index]
            index += 1
            let category = context.facts(for: item)?.category ?? ""
            if category.isEmpty || category == exempt {
                head.append(item)
                continue
            }
            if tally.add(category, cap: maxPerCategory) {
                head.append(item)
            } else {
                item.rulesFired.append(RuleLabel.demotedDiversity)
                demoted.append(item)
            }
        }
        guard !demoted.isEmpty else { return }
        items = head + demoted + items[index...]
    }
}
