import Domain

/// Refills a list the other rules left shorter than the request's `limit`: first from the
/// popularity lists of the categories already in the list (round-robin over them in order of
/// first appearance, so one category does not take every slot), then from the global popularity
/// list. Skips duplicates, excluded products (same test as `ExclusionRule`) and unavailable ones
/// (live catalog). While refilling, a candidate that would break the category cap inside the
/// diversity window is held back and used only if nothing else is left.
///
/// Items that `CategoryDiversityRule` demoted but could not push below the window (a short
/// list) are moved behind the refills, so the cap holds whenever the fill lists allow it.
///
/// Refilled items are appended with `final` equal to the lowest score in the list (or 0), so
/// the list stays sorted, and carry "fill:category" or "fill:global".
/// - Complexity: O(f) for f fill candidates read.
public struct FillRule: Rule {
    public let name = "fill"
    public var exclusions: ExclusionRule
    public var maxPerCategory: Int
    public var diversityWindow: Int

    public init(exclusions: ExclusionRule, maxPerCategory: Int = 3, diversityWindow: Int = 10) {
        self.exclusions = exclusions
        self.maxPerCategory = maxPerCategory
        self.diversityWindow = diversityWindow
    }

    public func apply(to items: inout [ScoredItem], context: RuleContext, report: inout RuleReport) {
        let limit = context.shopper.request.limit
        guard items.count < limit else { return }
        let cart = Set(context.shopper.request.cartItems)
        var present = Set(items.map(\.productID))
        // Items the diversity rule demoted but that still sit inside the window (the list was too
        // short to push them below it) make room for diverse refills and follow them.
        var demotedInWindow: [ScoredItem] = []
        if maxPerCategory > 0 {
            var kept: [ScoredItem] = []
            kept.reserveCapacity(items.count)
            for (position, item) in items.enumerated() {
                if position < diversityWindow, item.rulesFired.last == RuleLabel.demotedDiversity {
                    demotedInWindow.append(item)
                } else {
                    kept.append(item)
                }
            }
            items = kept
        }
        var categoryCounts: [String: Int] = [:]
        var categories: [String] = []
        var seenCategories = Set<String>()
        for (position, item) in items.enumerated() {
            let category = context.facts(for: item)?.category ?? ""
            guard !category.isEmpty else { continue }
            if !seenCategories.contains(category) {
                seenCategories.insert(category)
                categories.append(category)
            }
            if position < diversityWindow { categoryCounts[category, default: 0] += 1 }
        }
        let floorScore = items.last?.final ?? 0
        var heldBack: [(ScoredItem, String)] = []

        func admit(_ productID: ProductID, label: String) {
            guard items.count < limit, !present.contains(productID),
                exclusions.exclusionLabel(for: productID, context: context, cart: cart) == nil,
                let facts = context.catalog.facts(productID), facts.availability == .available
            else { return }
            present.insert(productID)
            var item = ScoredItem(productID: productID)
            item.facts = facts
            item.final = floorScore
            item.rulesFired.append(label)
            let category = facts.category
            if !category.isEmpty, maxPerCategory > 0, items.count < diversityWindow {
                if categoryCounts[category, default: 0] >= maxPerCategory {
                    heldBack.append((item, category))
                    return
                }
                categoryCounts[category, default: 0] += 1
            }
            items.append(item)
        }

        // Round-robin over the present categories' lists.
        let lists = categories.map { context.fill.popular(inCategory: $0) }
        var cursors = [Int](repeating: 0, count: categories.count)
        var active = true
        while items.count < limit, active {
            active = false
            for index in categories.indices {
                let list = lists[index]
                guard cursors[index] < list.count else { continue }
                active = true
                admit(list[cursors[index]], label: RuleLabel.fillCategory)
                cursors[index] += 1
                if items.count >= limit { break }
            }
        }
        for productID in context.fill.popularGlobal() where items.count < limit {
            admit(productID, label: RuleLabel.fillGlobal)
        }
        for (item, _) in heldBack where items.count < limit {
            items.append(item)
        }
        items.append(contentsOf: demotedInWindow)
    }
}
