import Domain
import Foundation
@testable import Rules
import Testing
import TestSupport

@Suite("Business rules (stage 4)")
struct RulesTests {
    typealias F = RulesFixture

    @Test func stockRuleDropsOutOfStockDeletedAndUnknownProducts() {
        let products = [
            F.product("a"), F.product("b", inStock: false), F.product("c", stock: 0),
            F.product("d", deleted: true), F.product("e", stock: 4),
        ]
        var items = F.items(["a", "b", "c", "d", "e", "ghost", "a"])
        var report = RuleReport()
        StockRule().apply(to: &items, context: F.context(products), report: &report)
        #expect(items.map(\.productID) == ["a", "e"])
        #expect(report.removedCounts["filtered:stock"] == 2)
        #expect(report.removedCounts["filtered:deleted"] == 2)
        #expect(report.removedCounts["filtered:duplicate"] == 1)
    }

    @Test func exclusionsDropPurchasedAnchorCartAndBlocked() {
        let products = ["a", "b", "c", "d", "e", "f"].map { F.product($0) }
        let request = RecommendationRequest(widget: .product, userID: "u", anchorProductID: "a", cartItems: ["b"], limit: 10)
        let context = F.context(products, request: request, purchased: ["c"], blockList: ["d"])
        var items = F.items(["a", "b", "c", "d", "e", "f"])
        var report = RuleReport()
        ExclusionRule(excludePurchased: true, excludeContext: true).apply(to: &items, context: context, report: &report)
        #expect(items.map(\.productID) == ["e", "f"])
        #expect(Set(report.removed.map(\.label)) == ["filtered:anchor", "filtered:cart", "filtered:purchased", "filtered:blocked"])

        var kept = F.items(["a", "b", "c", "d"])
        ExclusionRule(excludePurchased: false, excludeContext: false).apply(to: &kept, context: context)
        #expect(kept.map(\.productID) == ["a", "b", "c"], "block list applies even with the other exclusions off")
    }

    @Test func promotionBoostMultipliesFinalByTwentyPercentAndResorts() {
        let products = [F.product("a"), F.product("b", promoted: true), F.product("c")]
        var items = F.items(["a", "b", "c"], top: 1.0, step: 0.1)  // 1.0, 0.9, 0.8
        PromotionBoostRule().apply(to: &items, context: F.context(products))
        #expect(items.map(\.productID) == ["b", "a", "c"])
        #expect(abs(items[0].final - 1.08) < 1e-5)
        #expect(items[0].rulesFired == ["boost:promotion*1.20"], "the label carries the factor for explain")
        #expect(items[1].rulesFired.isEmpty)
        // Not enough to overtake a 25% lead.
        var far = F.items(["a", "b"], top: 1.0, step: 0.25)
        PromotionBoostRule().apply(to: &far, context: F.context(products))
        #expect(far.map(\.productID) == ["a", "b"])
    }

    @Test func newArrivalBoostAppliesOnlyInsideTheWindowRelativeToNow() {
        let products = [F.product("old", ageDays: 31), F.product("new", ageDays: 29), F.product("future", ageDays: -2)]
        var items = F.items(["old", "new", "future"], top: 1.0, step: 0.05)  // 1.0, 0.95, 0.9
        NewArrivalBoostRule(boost: 0.10, days: 30).apply(to: &items, context: F.context(products))
        #expect(items.map(\.productID) == ["new", "old", "future"])
        #expect(abs(items[0].final - 1.045) < 1e-5)
        #expect(items.first { $0.productID == "old" }?.rulesFired.isEmpty == true)
        #expect(items.first { $0.productID == "future" }?.rulesFired.isEmpty == true)
    }

    @Test func boostNeverLowersANegativeScore() {
        let products = [F.product("a", promoted: true)]
        var items = F.items(["a"], top: -1.0)
        PromotionBoostRule(boost: 0.2).apply(to: &items, context: F.context(products))
        #expect(abs(items[0].final - (-0.8)) < 1e-5)
    }

    @Test func categoryDiversityCapsEachCategoryInTheWindow() {
        // 8 kitchen items score highest, then 4 garden, 4 uncategorised.
        let kitchen = (0..<8).map { "k\($0)" }, garden = (0..<4).map { "g\($0)" }, plain = (0..<4).map { "p\($0)" }
        let products = kitchen.map { F.product($0, category: "Kitchen") } + garden.map { F.product($0, category: "Garden") }
            + plain.map { F.product($0) }
        var items = F.items(kitchen + garden + plain, top: 2, step: 0.1)
        CategoryDiversityRule(maxPerCategory: 3, window: 10).apply(to: &items, context: F.context(products))
        let head = items.prefix(10).map(\.productID)
        #expect(head.filter { $0.hasPrefix("k") }.count <= 3)
        #expect(head.filter { $0.hasPrefix("g") }.count <= 3)
        #expect(head == ["k0", "k1", "k2", "g0", "g1", "g2", "p0", "p1", "p2", "p3"])
        #expect(items.count == 16, "demoted, not dropped")
        #expect(Array(items[10...].map(\.productID)) == ["k3", "k4", "k5", "k6", "k7", "g3"])
        #expect(items[10].rulesFired == ["demoted:diversity"])
    }

    @Test func mmrSpreadsNearDuplicatesApart() {
        let products = ["a", "a2", "b", "c"].map { F.product($0) }
        let embeddings: [ProductID: [Float]] = ["a": [1, 0, 0], "a2": [0.99, 0.1, 0], "b": [0, 1, 0], "c": [0, 0, 1]]
        var items = F.items(["a", "a2", "b", "c"], top: 1.0, step: 0.05)
        MMRDiversityRule(lambda: 0.5, window: 3).apply(to: &items, context: F.context(products, embeddings: embeddings))
        #expect(items.map(\.productID).prefix(3) == ["a", "b", "c"])
        #expect(items.last?.productID == "a2")
        // Without embeddings the rule leaves the list alone.
        var untouched = F.items(["a", "a2", "b", "c"])
        MMRDiversityRule(lambda: 0.5, window: 3).apply(to: &untouched, context: F.context(products))
        #expect(untouched.map(\.productID) == ["a", "a2", "b", "c"])
    }

    @Test func fillRefillsToTheLimitFromTheListsCategoriesFirst() {
        let products = [
            F.product("k0", category: "Kitchen"), F.product("k1", category: "Kitchen"), F.product("k2", category: "Kitchen"),
            F.product("k3", category: "Kitchen", inStock: false), F.product("g0", category: "Garden"),
            F.product("g1", category: "Garden"), F.product("x0", category: "Toys"), F.product("x1", category: "Toys"),
            F.product("bought", category: "Toys"),
        ]
        let request = RecommendationRequest(widget: .homepage, userID: "u", limit: 5)
        let context = F.context(
            products, request: request, purchased: ["bought"], blockList: ["k2"],
            fillByCategory: ["Kitchen": ["k0", "k2", "k3", "k1"], "Garden": ["g0", "g1"]],
            fillGlobal: ["bought", "x0", "x1"]
        )
        var items = F.items(["k0"])
        FillRule(exclusions: ExclusionRule(excludePurchased: true, excludeContext: true)).apply(to: &items, context: context)
        // Kitchen is the only present category: k0 is a duplicate, k2 blocked, k3 out of stock.
        #expect(items.map(\.productID) == ["k0", "k1", "x0", "x1"], "garden is not present, bought is excluded")
        #expect(items[1].rulesFired == ["fill:category"])
        #expect(items[2].rulesFired == ["fill:global"])
        #expect(items.allSatisfy { $0.final <= items[0].final })
    }

    @Test func fillReachesTheLimitWhenEnoughCandidatesExist() {
        let products = (0..<20).map { F.product("p\($0)", category: $0 < 10 ? "A" : "B") }
        let request = RecommendationRequest(widget: .homepage, userID: "u", limit: 8)
        let context = F.context(
            products, request: request,
            fillByCategory: ["A": (0..<10).map { "p\($0)" }, "B": (10..<20).map { "p\($0)" }],
            fillGlobal: (0..<20).map { "p\($0)" }
        )
        var items = F.items(["p0", "p10"])
        FillRule(exclusions: ExclusionRule(excludePurchased: false, excludeContext: true), maxPerCategory: 3, diversityWindow: 10)
            .apply(to: &items, context: context)
        #expect(items.count == 8)
        #expect(Set(items.map(\.productID)).count == 8)
        // Round-robin over A and B under the cap of 3 per category: 3 A and 3 B first, held-back ones last.
        let firstSix = items.prefix(6).compactMap { context.catalog.product($0.productID)?.category }
        #expect(firstSix.filter { $0 == "A" }.count == 3)
        #expect(firstSix.filter { $0 == "B" }.count == 3)
    }

    /// The server's fill lists come from its popularity index on demand: a list that is already
    /// long enough must not cost a look-up, and a short one reads only its own categories.
    @Test func fillAsksItsSourceOnlyForAShortListAndOnlyForPresentCategories() {
        let products = (0..<12).map { F.product("p\($0)", category: $0 < 6 ? "A" : "B") }
        let request = RecommendationRequest(widget: .homepage, userID: "u", limit: 4)
        let source = RecordingFillSource(byCategory: ["A": ["p1", "p2", "p3"], "B": ["p7"]], global: ["p8", "p9"])
        let context = RuleContext(
            shopper: ShopperContext(request: request, now: F.now), catalog: StaticProductCatalog(products), fill: source)
        let rule = FillRule(exclusions: ExclusionRule(excludePurchased: false, excludeContext: true))

        var full = F.items(["p0", "p6", "p1", "p7"])
        rule.apply(to: &full, context: context)
        #expect(full.map(\.productID) == ["p0", "p6", "p1", "p7"])
        #expect(source.asked.isEmpty, "a full list reads no fill list")

        var short = F.items(["p0"])
        rule.apply(to: &short, context: context)
        // p3 would be a fourth "A" in the window (cap 3): the global list fills the last slot.
        #expect(short.map(\.productID) == ["p0", "p1", "p2", "p8"])
        #expect(source.asked == ["category:A", "global"])
    }

    /// A product page's similar items are nearly all of the anchor's category: the list is full,
    /// but diversity alone leaves demoted items in the window. Popular products of other
    /// categories take those places (each category still within the cap); the demoted follow.
    @Test func aFullListOfOneCategoryGetsOtherCategoriesIntoTheWindow() {
        let paper = (0..<19).map { "s\($0)" }
        let others = ["B", "C", "D"].flatMap { category in (0..<3).map { "\(category.lowercased())\($0)" } }
        let products = paper.map { F.product($0, category: "Paper") } + ["t0", "t1"].map { F.product($0, category: "Toys") }
            + others.map { F.product($0, category: String($0.prefix(1)).uppercased()) } + [F.product("gone", category: "E", inStock: false)]
        let request = RecommendationRequest(widget: .product, userID: "u", anchorProductID: "s0", limit: 10)
        let context = F.context(
            products, request: request, fillByCategory: ["Toys": ["t0", "t1"], "Paper": ["s5"]],
            fillGlobal: ["s1", "gone", "b0", "b1", "b2", "c0", "c1", "c2", "d0"])
        var items = F.items(["s1", "s2", "t0"] + paper.dropFirst(3))
        RuleChain(options: RuleOptions()).apply(to: &items, context: context)
        let head = Array(items.prefix(10))
        #expect(head.map(\.productID) == ["s1", "s2", "t0", "s3", "t1", "b0", "b1", "b2", "c0", "c1"])
        for category in ["Paper", "Toys", "B", "C"] {
            let count = head.filter { context.catalog.facts($0.productID)?.category == category }.count
            #expect(count <= 3, "\(category): \(count)")
        }
        #expect(head[4].rulesFired == ["fill:category"])
        #expect(head[5].rulesFired == ["fill:global"])
        #expect(items[10].productID == "s4")
        #expect(items[10].rulesFired == ["demoted:diversity"])
        #expect(items.count == 19 + 6, "nothing dropped: 19 candidates and 6 refills")
        // A full list whose window already holds the cap asks no fill list.
        let source = RecordingFillSource(byCategory: [:], global: ["b0"])
        var diverse = F.items(["s1", "t0", "b0", "c0"])
        let diverseRequest = RecommendationRequest(widget: .product, userID: "u", limit: 4)
        FillRule(exclusions: ExclusionRule(excludePurchased: false, excludeContext: true)).apply(
            to: &diverse,
            context: RuleContext(
                shopper: ShopperContext(request: diverseRequest, now: F.now), catalog: StaticProductCatalog(products), fill: source))
        #expect(source.asked.isEmpty)
    }

    @Test func pinsLandAtTheirPositionsButNeverRestoreUnavailableProducts() {
        let products = ["a", "b", "c", "d", "e"].map { F.product($0) } + [F.product("gone", inStock: false)]
        let context = F.context(products, blockList: ["blocked"], pinned: [0: "d", 2: "e", 1: "gone", 3: "blocked"])
        var items = F.items(["a", "b", "c", "d"])
        PinRule().apply(to: &items, context: context)
        #expect(items.map(\.productID) == ["d", "a", "e", "b", "c"])
        #expect(items[0].rulesFired == ["pinned"])
        #expect(items[0].blended == F.items(["a", "b", "c", "d"])[3].blended, "a moved pin keeps its scores")
        // A pin taken from above an earlier pin's position does not shift that pin.
        var shifted = F.items(["d", "a", "b", "c", "e"])
        PinRule().apply(to: &shifted, context: F.context(products, pinned: [1: "e", 3: "d"]))
        #expect(shifted.map(\.productID) == ["a", "e", "b", "d", "c"])
    }

    @Test func chainRunsInOrderAndNeverLeaksFilteredProducts() {
        var products: [Product] = []
        for index in 0..<30 {
            products.append(
                F.product(
                    "p\(index)", category: ["A", "B", "C"][index % 3], inStock: index % 7 != 3,
                    promoted: index == 20, ageDays: index == 25 ? 3 : 400
                )
            )
        }
        products.append(F.product("pin"))
        var options = RuleOptions()
        options.excludePurchased = true
        let request = RecommendationRequest(widget: .homepage, userID: "u", cartItems: ["p1"], limit: 10)
        let context = F.context(
            products, request: request, purchased: ["p0"], blockList: ["p2"], pinned: [9: "pin"],
            fillByCategory: ["A": ["p3", "p6", "p9"]], fillGlobal: (0..<30).map { "p\($0)" }
        )
        var items = F.items((0..<12).map { "p\($0)" } + ["p20", "p25"], top: 2, step: 0.1)
        let report = RuleChain(options: options).apply(to: &items, context: context)
        let ids = items.map(\.productID)
        let forbidden: Set<ProductID> = ["p0", "p1", "p2", "p3", "p10", "p17", "p24"]
        #expect(forbidden.isDisjoint(with: ids))
        #expect(Set(ids).count == ids.count)
        #expect(ids.count >= 10)
        #expect(ids[9] == "pin")
        for category in ["A", "B", "C"] {
            let inHead = items.prefix(10).filter { context.catalog.product($0.productID)?.category == category }.count
            #expect(inHead <= 3, "category \(category) has \(inHead) in the first 10")
        }
        #expect(items.first { $0.productID == "p20" }?.rulesFired.contains("boost:promotion*1.20") == true)
        #expect(items.first { $0.productID == "p25" }?.rulesFired.contains("boost:new_arrival*1.10") == true)
        #expect(report.removed.contains(RuleReport.Removal(productID: "p3", label: "filtered:stock")))
        #expect(report.removed.contains(RuleReport.Removal(productID: "p0", label: "filtered:purchased")))
    }

    @Test func chainOmitsRulesSwitchedOff() {
        var options = RuleOptions()
        options.stockFilter = false
        options.promotionBoost = 0
        options.fill = false
        let names = RuleChain(options: options).rules.map(\.name)
        #expect(names == ["exclusions", "new_arrival", "category_diversity", "pin"])
        options.mmrLambda = 0.7
        #expect(RuleChain(options: options).rules.map(\.name).contains("mmr"))
    }

    /// After the pipeline's pre-rerank filters the chain starts at the boosts, but what the fill
    /// rule adds is still checked against the exclusions and the catalog.
    @Test func chainAfterThePrefilterSkipsTheFiltersButFillStillExcludes() {
        var options = RuleOptions()
        options.excludePurchased = true  // as on the homepage
        #expect(RuleChain.arrangement(options: options).rules.map(\.name)
            == ["promotion", "new_arrival", "category_diversity", "fill", "pin"])
        // The filters the pipeline runs first, then the rest: the whole chain, in its order.
        #expect(RuleChain.eligibility(options: options).rules.map(\.name) == ["stock", "exclusions"])
        #expect(RuleChain.eligibility(options: options).rules.map(\.name) + RuleChain.arrangement(options: options).rules.map(\.name)
            == RuleChain(options: options).rules.map(\.name))
        var noStock = options
        noStock.stockFilter = false
        #expect(RuleChain.eligibility(options: noStock).rules.map(\.name) == ["exclusions"])
        let products = (0..<6).map { F.product("p\($0)", category: "C\($0)", inStock: $0 != 3) }
        let request = RecommendationRequest(widget: .homepage, userID: "u", limit: 4)
        let context = F.context(products, request: request, purchased: ["p2"], fillGlobal: ["p1", "p2", "p3", "p4", "p5"])
        var items = F.items(["p0"])
        RuleChain.arrangement(options: options).apply(to: &items, context: context)
        #expect(items.map(\.productID) == ["p0", "p1", "p4", "p5"], "purchased p2 and out-of-stock p3 are not refilled")
    }

    /// A window shorter than the list (4 of 10, cap 1) on a short list of two categories: the
    /// demoted items beyond the window must not slide up into it when the ones inside it make
    /// room; popular products of other categories take the window's free places, and the demoted
    /// candidates rank right after the window, ahead of the remaining refills.
    @Test func aNarrowWindowOnAShortListKeepsItsCapAndItsDemotedCandidates() {
        let products = ["k0", "k1", "k2", "g0", "g1", "l0", "t0", "x0", "x1", "x2"].map {
            F.product($0, category: String($0.prefix(1)))
        }
        let request = RecommendationRequest(widget: .homepage, userID: "u", limit: 10)
        let context = F.context(
            products, request: request, fillByCategory: ["k": ["k0"], "g": ["g0"]],
            fillGlobal: ["k1", "l0", "t0", "x0", "x1", "x2"])
        var options = RuleOptions()
        options.diversityMaxPerCategory = 1
        options.diversityWindow = 4
        var items = F.items(["k0", "k1", "k2", "g0", "g1"])
        RuleChain.arrangement(options: options).apply(to: &items, context: context)
        #expect(items.map(\.productID) == ["k0", "g0", "l0", "t0", "k1", "k2", "g1", "x0", "x1", "x2"])
        #expect(items[2].rulesFired == ["fill:global"])
        #expect(items[4].rulesFired == ["demoted:diversity"])
    }

    @Test func diversityAndFillTogetherKeepTheCapOnShortLists() {
        // Five Kitchen items only: diversity cannot push two of them below position 10 by itself;
        // fill brings other categories in ahead of them.
        let kitchen = (0..<7).map { "k\($0)" }
        let others = ["B", "C", "D"].flatMap { category in (0..<4).map { "\(category.lowercased())\($0)" } }
        let products = kitchen.map { F.product($0, category: "Kitchen") }
            + others.map { F.product($0, category: String($0.prefix(1)).uppercased()) }
        let request = RecommendationRequest(widget: .homepage, userID: "u", limit: 10)
        let context = F.context(products, request: request, fillByCategory: ["Kitchen": ["k5", "k6"]], fillGlobal: others)
        var items = F.items(Array(kitchen.prefix(5)))
        RuleChain(options: RuleOptions()).apply(to: &items, context: context)
        let head = items.prefix(10).map(\.productID)
        #expect(head.count == 10)
        #expect(head.filter { $0.hasPrefix("k") }.count == 3, "\(head)")
        #expect(head.prefix(3) == ["k0", "k1", "k2"], "the best items keep their places")
        #expect(items.first { $0.productID == "k3" }?.rulesFired == ["demoted:diversity"])
    }

    @Test func aProductPageKeepsItsSimilarItemsAheadOfFiller() {
        // The anchor is a lamp; 15 lamps score above everything else. With the product page's
        // defaults the first 10 are lamps (no cap on the anchor's own category, no filler), while
        // the other categories stay capped at 3 within the window.
        let lamps = (0..<15).map { "l\($0)" }
        let mugs = (0..<5).map { "m\($0)" }
        let products = [F.product("anchor", category: "Lighting")] + lamps.map { F.product($0, category: "Lighting") }
            + mugs.map { F.product($0, category: "Kitchen") } + ["g0", "g1", "g2"].map { F.product($0, category: "Garden") }
        let request = RecommendationRequest(widget: .product, userID: "u", anchorProductID: "anchor", limit: 10)
        let context = F.context(products, request: request, fillGlobal: ["g0", "g1", "g2"])
        var options = RuleOptions()
        options.diversityExemptsAnchorCategory = true
        var items = F.items(Array(lamps.prefix(4)) + mugs + Array(lamps.dropFirst(4)), step: 0.01)
        RuleChain(options: options).apply(to: &items, context: context)
        let head = items.prefix(10)
        #expect(head.allSatisfy { !$0.rulesFired.contains { $0.hasPrefix("fill:") } }, "\(head.map(\.productID))")
        #expect(head.filter { $0.productID.hasPrefix("m") }.count == 3)
        #expect(head.filter { $0.productID.hasPrefix("l") }.count == 7)
        // Without the exemption (the old product-page policy) lamps were capped and unrelated
        // popular filler took their places.
        var capped = F.items(Array(lamps.prefix(4)) + mugs + Array(lamps.dropFirst(4)), step: 0.01)
        RuleChain(options: RuleOptions()).apply(to: &capped, context: context)
        #expect(capped.prefix(10).filter { $0.productID.hasPrefix("l") }.count < 7)
        #expect(capped.prefix(10).contains { $0.rulesFired.contains(RuleLabel.fillGlobal) })
    }

    @Test func recentPurchasesAreExcludedWithinTheirWindowOnly() {
        let products = ["a", "b", "c"].map { F.product($0) }
        let request = RecommendationRequest(widget: .cart, userID: "u", cartItems: ["x"], limit: 10)
        let history = [
            Interaction(userID: "u", productID: "a", type: .purchase, occurredAt: F.now.addingTimeInterval(-60)),
            Interaction(userID: "u", productID: "b", type: .purchase, occurredAt: F.now.addingTimeInterval(-40 * 86_400)),
            Interaction(userID: "u", productID: "c", type: .view, occurredAt: F.now.addingTimeInterval(-60)),
        ]
        let context = RuleContext(
            shopper: ShopperContext(request: request, history: history, now: F.now), catalog: StaticProductCatalog(products))
        var options = RuleOptions()
        options.excludeRecentPurchasesDays = 30
        var items = F.items(["a", "b", "c"])
        let report = RuleChain.eligibility(options: options).apply(to: &items, context: context)
        #expect(items.map(\.productID) == ["b", "c"])
        #expect(report.removed.contains { $0.productID == "a" && $0.label == RuleLabel.filteredRecentPurchase })
        options.excludeRecentPurchasesDays = 0
        var all = F.items(["a", "b", "c"])
        RuleChain.eligibility(options: options).apply(to: &all, context: context)
        #expect(all.count == 3)
    }

    @Test func searchWithInStockFalseKeepsSoldOutProductsButNeverDeletedOnes() {
        let products = [F.product("a"), F.product("sold", inStock: false), F.product("gone", deleted: true)]
        for (inStockOnly, expected) in [(true, ["a"]), (false, ["a", "sold"])] {
            let request = RecommendationRequest(
                widget: .search, userID: "u", queryText: "x", filter: ProductFilter(inStockOnly: inStockOnly), limit: 10)
            var items = F.items(["a", "sold", "gone"])
            RuleChain.eligibility(options: RuleOptions()).apply(to: &items, context: F.context(products, request: request))
            #expect(items.map(\.productID) == expected, "in_stock=\(inStockOnly)")
        }
        // Other widgets never show sold-out products.
        let homepage = RecommendationRequest(widget: .homepage, userID: "u", filter: ProductFilter(inStockOnly: false), limit: 10)
        var items = F.items(["a", "sold"])
        RuleChain.eligibility(options: RuleOptions()).apply(to: &items, context: F.context(products, request: homepage))
        #expect(items.map(\.productID) == ["a"])
    }

    @Test func aCategoryFilteredRequestDropsAndNeverRefillsOtherCategories() {
        let products = [F.product("k1", category: "Kitchen"), F.product("k2", category: "Kitchen"), F.product("g1", category: "Garden")]
        let request = RecommendationRequest(widget: .homepage, userID: "u", filter: ProductFilter(category: "Kitchen"), limit: 5)
        var items = F.items(["g1", "k1"])
        let context = F.context(products, request: request, fillByCategory: ["Kitchen": ["k2"]], fillGlobal: ["g1", "k2"])
        RuleChain(options: RuleOptions()).apply(to: &items, context: context)
        #expect(items.map(\.productID) == ["k1", "k2"])
    }
}
