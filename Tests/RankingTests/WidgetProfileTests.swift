import Domain
import Experiments
import Ranking
import Rerank
import Rules
import Testing

/// A cross-encoder stand-in: the state-needs rule only asks whether a reranker exists.
private struct ConstantPairScorer: PairScorer {
    let modelVersion = "constant@000000000000"
    func score(pairs: [(query: String, document: String)]) async throws -> [Float] { pairs.map { _ in 0 } }
}

/// Each widget's policy (`WidgetProfile`) and how a variant's parameters layer on its defaults.
struct WidgetProfileTests {
    @Test func variantParametersOverrideOnlyWhatTheySet() {
        let defaults = PipelineOptions().defaults(for: .homepage)
        var parameters = VariantParameters()
        parameters.alpha = 0.7
        parameters.rerankWindow = 0
        parameters.rerankCombination = "rrf"
        parameters.disabledRules = ["diversity", "promotion_boost"]
        let options = defaults.applying(parameters)
        #expect(options.weights.content == 0.7)
        #expect(options.weights.collaborative == defaults.weights.collaborative)
        #expect(options.weights.popularity == defaults.weights.popularity)
        #expect(options.rerank.window == 0)
        #expect(options.rerank.combination == .reciprocalRank)
        #expect(options.rules.diversityMaxPerCategory == 0)
        #expect(options.rules.promotionBoost == 0)
        #expect(options.rules.newArrivalBoost == defaults.rules.newArrivalBoost)
        #expect(options.rules.excludePurchased, "the homepage default survives")
        #expect(defaults.applying(VariantParameters()) == defaults)
    }

    @Test func widgetDefaultsDifferWhereTheWidgetNeedsIt() {
        let base = PipelineOptions()
        #expect(base.defaults(for: .homepage).rules.excludePurchased)
        #expect(!base.defaults(for: .product).rules.excludePurchased)
        #expect(base.defaults(for: .search).rerank.window == 0)
        #expect(!base.defaults(for: .search).rules.fill)
        #expect(base.defaults(for: .frequentlyBoughtTogether).weights.collaborative == 1)
        // Issue #20 (docs/QUALITY.md): the homepage's sources propose 200, the other widgets 100.
        #expect(base.defaults(for: .homepage).candidatesPerSource == 200)
        #expect(base.defaults(for: .cart).candidatesPerSource == 100)
        var parameters = VariantParameters()
        parameters.candidatesPerSource = 50
        #expect(base.defaults(for: .homepage).applying(parameters).candidatesPerSource == 50)
    }

    /// Which widget reads which part of the shopper's state (`ShopperStateNeeds`).
    @Test func eachWidgetReadsOnlyTheShopperStateItsStagesUse() {
        let reranker = CrossEncoderReranker(scorer: ConstantPairScorer(), catalog: StaticProductCatalog([]))
        let base = PipelineOptions()
        func needs(_ widget: Widget, explicitCart: Bool = false, options: PipelineOptions? = nil) -> ShopperStateNeeds {
            WidgetProfile.of(widget).stateNeeds(
                options: options ?? base.defaults(for: widget), explicitCart: explicitCart, reranker: reranker)
        }
        func reads(_ needs: ShopperStateNeeds) -> String {
            switch needs.history {
            case .none: "none"
            case .whole: "whole"
            case .newest(let first, _): "newest \(first)"
            }
        }
        #expect(reads(needs(.homepage)) == "whole" && needs(.homepage).purchased && !needs(.homepage).cart)
        #expect(reads(needs(.cart)) == "whole" && needs(.cart).cart && !needs(.cart, explicitCart: true).cart)
        #expect(reads(needs(.product)) == "newest \(ShopperStateNeeds.newestEventsFirstRead)")
        for widget in [Widget.product, .frequentlyBoughtTogether] {
            #expect(!needs(widget).purchased && !needs(widget).cart, "\(widget)")
        }
        // Frequently bought together leaves out recent purchases, which it reads from the history;
        // with that switched off it reads only what the rerank query needs.
        #expect(reads(needs(.frequentlyBoughtTogether)) == "whole")
        var keepingPurchases = base.defaults(for: .frequentlyBoughtTogether)
        keepingPurchases.rules.excludeRecentPurchasesDays = 0
        #expect(reads(needs(.frequentlyBoughtTogether, options: keepingPurchases)) == "newest \(ShopperStateNeeds.newestEventsFirstRead)")
        // Search reranks nothing by default; a variant that turns rerank on needs the query's events.
        #expect(reads(needs(.search)) == "none")
        var reranking = base.defaults(for: .search)
        reranking.rerank.window = 10
        #expect(reads(needs(.search, options: reranking)) == "newest \(ShopperStateNeeds.newestEventsFirstRead)")
        // A variant that excludes purchases on the product page reads the purchased set.
        var excluding = base.defaults(for: .product)
        excluding.rules.excludePurchased = true
        #expect(needs(.product, options: excluding).purchased)
        // Without a reranker the product page reads no history at all.
        #expect(reads(ShopperStateNeeds.of(widget: .product, options: base.defaults(for: .product), explicitCart: false, reranker: nil)) == "none")
    }

    @Test func onlyTheHomepageAsksSimilarUsersAndSearchAsksOnlyContent() {
        #expect(WidgetProfile.of(.homepage).origins.contains(.similarUsers))
        for widget in [Widget.product, .cart, .frequentlyBoughtTogether, .search] {
            #expect(!WidgetProfile.of(widget).origins.contains(.similarUsers), "\(widget)")
        }
        #expect(WidgetProfile.of(.search).origins == [.content])
        // A product page proposes related items only; popularity is its fill, not a candidate.
        #expect(!WidgetProfile.of(.product).origins.contains(.popularity))
        #expect(WidgetProfile.of(.product).fillsFromGlobalPopularity)
        #expect(!WidgetProfile.of(.search).fillsFromGlobalPopularity)
        #expect(WidgetProfile.of(.cart).readsStoredCart && !WidgetProfile.of(.product).readsStoredCart)
        for widget in Widget.allCases { #expect(WidgetProfile.of(widget).widget == widget) }
    }
}
