import Domain

/// Refills a list the other rules left shorter than the request's `limit`: first from the
/// popularity lists of the categories already in the list (round-robin over them in order of
/// first appearance, so one category does not take every slot), then from the global popularity
/// list. Skips duplicates, excluded products (same test as `ExclusionRule`) and unavailable ones
/// (live catalog). While refilling, a candidate that would break the category cap inside the
/// diversity window is held back and used only if nothing else is left.
///
/// Items that `CategoryDiversityRule` demoted but could not push below the window are moved
/// behind the window's refills, so the cap holds whenever the fill lists allow it: in a short
/// list (the window's free places are refilled first, then the demoted items follow, then more
/// refills up to `limit`), and also in a full one whose candidates are nearly all of one category
/// (a product page's similar items), where the window's free places are filled from popularity
/// of other categories.
///
/// Refilled items are appended with `final` equal to the lowest score in the list (or 0), so
/// the list stays sorted, and carry "fill:category" or "fill:global".
/// - Complexity: O(f) for f fill candidates read.
public struct FillRule: Rule {
    public let name = "fill"
    public var exclusions: ExclusionRule
    public var maxPerCategory: Int
    public var diversityWindow: Int
    /// Refills of the anchor product's category are not held back by the cap (as in
    /// `CategoryDiversityRule`).
    public var exemptsAnchorCategory: Bool

    public init(exclusions: ExclusionRule, maxPerCategory: Int = 3, diversityWindow: Int = 10, exemptsAnchorCategory: Bool = false) {
        self.exclusions = exclusions
        self.maxPerCategory = maxPerCategory
        self.diversityWindow = diversityWindow
        self.exemptsAnchorCategory = exemptsAnchorCategory
    }

    public func apply(to items: inout [ScoredItem], context: RuleContext, report: inout RuleReport) {
        let limit = context.shopper.request.limit
        guard items.count < limit else {
            fillWindow(&items, context: context, window: min(diversityWindow, limit))
            return
        }
        let cart = Set(context.shopper.request.cartItems)
        var present = Set(items.map(\.productID))
        // Items the diversity rule demoted but that would sit inside the window (the list was too
        // short to push them below it) make room for diverse refills and follow them. Counted on
        // the kept list: taking one out moves the next demoted item up into the window.
        var demotedInWindow: [ScoredItem] = []
        if maxPerCategory > 0 {
            var kept: [ScoredItem] = []
            kept.reserveCapacity(items.count)
            for item in items {
                if kept.count < diversityWindow, item.rulesFired.last == RuleLabel.demotedDiversity {
                    demotedInWindow.append(item)
                } else {
                    kept.append(item)
                }
            }
            items = kept
        }
        var windowCounts = CategoryTally()
        var categories: [String] = []
        var seenCategories = Set<String>()
        for (position, item) in items.enumerated() {
            let category = context.facts(for: item)?.category ?? ""
            guard !category.isEmpty else { continue }
            if !seenCategories.contains(category) {
                seenCategories.insert(category)
                categories.append(category)
            }
            if position < diversityWindow { windowCounts.add(category) }
        }
        let floorScore = items.last?.final ?? 0
        var heldBack: [(ScoredItem, String)] = []

        // First the window's free places (the demoted items follow them), then up to `limit`.
        var bound = demotedInWindow.isEmpty ? limit : min(diversityWindow, limit)
        let exempt = exemptsAnchorCategory ? context.anchorCategory : nil

        func admit(_ productID: ProductID, label: String) {
            guard items.count < bound, !present.contains(productID),
                let facts = admissibleFacts(productID, context: context, cart: cart)
            else { return }
            present.insert(productID)
            let item = Self.refill(productID, facts: facts, score: floorScore, label: label)
            let category = facts.category
            if !category.isEmpty, category != exempt, maxPerCategory > 0, items.count < diversityWindow,
                !windowCounts.add(category, cap: maxPerCategory)
            {
                heldBack.append((item, category))
                return
            }
            items.append(item)
        }

        // Round-robin over the present categories' lists, then the global list.
        let lists = categories.map { context.fill.popular(inCategory: $0) }
        var cursors = [Int](repeating: 0, count: categories.count)
        var global: [ProductID]?
        func refill() {
            var active = true
            while items.count < bound, active {
                active = false
                for index in categories.indices {
                    let list = lists[index]
                    guard cursors[index] < list.count else { continue }
                    active = true
                    admit(list[cursors[index]], label: RuleLabel.fillCategory)
                    cursors[index] += 1
                    if items.count >= bound { break }
                }
            }
            guard items.count < bound else { return }
            if global == nil { global = context.fill.popularGlobal() }
            for productID in global ?? [] where items.count < bound {
                admit(productID, label: RuleLabel.fillGlobal)
            }
        }
        refill()
        if !demotedInWindow.isEmpty, bound < limit {
            // The window is as diverse as the fill lists allow; the demoted items rank next.
            items.append(contentsOf: demotedInWindow)
            demotedInWindow = []
            bound = limit
            for (item, _) in heldBack where items.count < limit { items.append(item) }
            heldBack = []
            refill()
        }
        for (item, _) in heldBack where items.count < limit {
            items.append(item)
        }
        items.append(contentsOf: demotedInWindow)
    }

    /// A full list whose diversity window still holds demoted items (its candidates had too few
    /// other categories): the window's permitted items keep their places, popular products that
    /// keep every category within the cap take the free places, and the demoted items follow.
    private func fillWindow(_ items: inout [ScoredItem], context: RuleContext, window: Int) {
        guard maxPerCategory > 0, window > 0 else { return }
        let demoted = items.prefix(window).filter { $0.rulesFired.last == RuleLabel.demotedDiversity }
        guard !demoted.isEmpty else { return }
        var head = items.prefix(window).filter { $0.rulesFired.last != RuleLabel.demotedDiversity }
        let rest = items.dropFirst(window)
        let cart = Set(context.shopper.request.cartItems)
        // The window's categories below the cap first (in order of appearance), then the global
        // list: the demoted items' categories are at the cap already.
        var tally = CategoryTally(capacity: window)
        for item in head {
            let category = context.facts(for: item)?.category ?? ""
            if !category.isEmpty { tally.add(category) }
        }
        let floorScore = items.last?.final ?? 0
        var refills: [ScoredItem] = []

        // A linear scan of the list (~60 ids) per fill candidate costs less than hashing the
        // whole list into a set for the few candidates a window needs.
        func isPresent(_ productID: ProductID) -> Bool {
            items.contains { $0.productID == productID } || refills.contains { $0.productID == productID }
        }

        func admit(_ productID: ProductID, label: String) {
            guard head.count + refills.count < window, !isPresent(productID),
                let facts = admissibleFacts(productID, context: context, cart: cart)
            else { return }
            guard facts.category.isEmpty || tally.add(facts.category, cap: maxPerCategory) else { return }
            refills.append(Self.refill(productID, facts: facts, score: floorScore, label: label))
        }

        for category in tally.categories where tally.count(of: category) < maxPerCategory {
            for productID in context.fill.popular(inCategory: category) {
                guard head.count + refills.count < window, tally.count(of: category) < maxPerCategory else { break }
                admit(productID, label: RuleLabel.fillCategory)
            }
        }
        for productID in context.fill.popularGlobal() where head.count + refills.count < window {
            admit(productID, label: RuleLabel.fillGlobal)
        }
        guard !refills.isEmpty else { return }
        head.append(contentsOf: refills)
        items = head + demoted + rest
    }

    /// A popular product's facts when the fill may add it: not excluded (the same test as
    /// `ExclusionRule`) and available in the live catalog; `nil` otherwise.
    private func admissibleFacts(_ productID: ProductID, context: RuleContext, cart: Set<ProductID>) -> ProductFacts? {
        guard exclusions.exclusionLabel(for: productID, context: context, cart: cart) == nil,
            let facts = context.catalog.facts(productID), facts.availability == .available,
            context.shopper.request.filter.category.map({ $0 == facts.category }) ?? true
        else { return nil }
        return facts
    }

    /// A refilled item: scored at the list's floor, labelled with where it came from.
    private static func refill(_ productID: ProductID, facts: ProductFacts, score: Float, label: String) -> ScoredItem {
        var item = ScoredItem(productID: productID)
        item.facts = facts
        item.final = score
        item.rulesFired.append(label)
        return item
    }
}
