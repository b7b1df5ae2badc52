import Domain
import Foundation
import Rerank
import Rules
import Testing

/// A scorer that returns a fixed logit per document and counts its calls and pairs.
final class CountingPairScorer: PairScorer, @unchecked Sendable {
    let modelVersion = "fake@000000000001"
    let logits: [String: Float]
    var failing = false
    private let lock = NSLock()
    private var _calls = 0
    private var _pairs: [(query: String, document: String)] = []

    init(logits: [String: Float]) {
        self.logits = logits
    }

    var calls: Int { lock.withLock { _calls } }
    var pairs: [(query: String, document: String)] { lock.withLock { _pairs } }

    struct Failure: Error {}

    func score(pairs: [(query: String, document: String)]) async throws -> [Float] {
        if failing { throw Failure() }
        lock.withLock {
            _calls += 1
            _pairs.append(contentsOf: pairs)
        }
        return pairs.map { logits[$0.document] ?? 0 }
    }
}

@Suite("Cross-encoder rerank (stage 3)")
struct RerankTests {
    static let now = Date(timeIntervalSince1970: 1_750_000_000)

    /// p0...p9 named "Item 0"... in category "Cat"; h0...h6 are history products.
    static let catalog = StaticProductCatalog(
        (0..<10).map { Product(id: "p\($0)", name: "Item \($0)", category: "Cat") }
            + (0..<7).map { Product(id: "h\($0)", name: "Bought \($0)") }
    )

    static func list(_ count: Int = 10) -> [ScoredItem] {
        (0..<count).map { index in
            var item = ScoredItem(productID: "p\(index)")
            item.blended = 1 - Float(index) * 0.05
            item.final = item.blended
            return item
        }
    }

    static func purchase(_ id: String, minutesAgo: Double) -> Interaction {
        Interaction(userID: "u", productID: id, type: .purchase, occurredAt: now.addingTimeInterval(-minutesAgo * 60))
    }

    /// The standard ten-item list for `context`, reranked with `options`.
    static func job(_ context: ShopperContext, _ options: RerankOptions) -> RerankJob {
        RerankJob(list: list(), context: context, options: options)
    }

    static func buyer(_ userID: String = "u") -> ShopperContext {
        let history = [
            purchase("h0", minutesAgo: 1), purchase("h1", minutesAgo: 2), purchase("h0", minutesAgo: 3),
            purchase("h2", minutesAgo: 4), purchase("h3", minutesAgo: 5), purchase("h4", minutesAgo: 6),
            purchase("h5", minutesAgo: 7), purchase("h6", minutesAgo: 8),
        ]
        return ShopperContext(request: RecommendationRequest(widget: .homepage, userID: userID), history: history, now: now)
    }

    /// The fake model loves the bottom of the window: logit grows with the item number.
    static func scorer() -> CountingPairScorer {
        CountingPairScorer(logits: Dictionary(uniqueKeysWithValues: (0..<10).map { ("Item \($0) | Cat", Float($0)) }))
    }

    @Test func queryFollowsTheInputContract() {
        let builder = RerankQueryBuilder(catalog: Self.catalog)
        let (text, source) = builder.query(for: Self.buyer())
        #expect(text == "Bought 0 ; Bought 1 ; Bought 2 ; Bought 3 ; Bought 4")
        #expect(source == .purchases)
        #expect(Self.catalog.product("p3")?.rerankDocument == "Item 3 | Cat")
    }

    @Test func queryFallsBackToBrowsingThenAnchorThenNothing() {
        let builder = RerankQueryBuilder(catalog: Self.catalog)
        let viewed = ShopperContext(
            request: RecommendationRequest(widget: .homepage, userID: "u"),
            history: [
                Interaction(userID: "u", productID: "h2", type: .view, occurredAt: Self.now),
                Interaction(userID: "u", productID: "h1", type: .cartAdd, occurredAt: Self.now),
                Interaction(userID: "u", productID: "h2", type: .view, occurredAt: Self.now),
            ]
        )
        #expect(builder.query(for: viewed).text == "Bought 2 ; Bought 1")
        #expect(builder.query(for: viewed).source == .browsing)
        let anchored = ShopperContext(request: RecommendationRequest(widget: .product, anchorProductID: "p1", cartItems: ["p2", "p3"]))
        #expect(builder.query(for: anchored).text == "Item 1 ; Item 3 ; Item 2")
        let nobody = ShopperContext(request: RecommendationRequest(widget: .homepage))
        #expect(builder.query(for: nobody).text.isEmpty)
    }

    /// The service reads only the newest events while the builder says they leave the query open:
    /// every prefix it calls decided must give the whole history's query.
    @Test func aDecidedPrefixGivesTheWholeHistorysQuery() {
        let builder = RerankQueryBuilder(catalog: Self.catalog)
        // Named history products h0...h6 and products the catalog does not know (no name).
        let named = (0..<7).map { "h\($0)" }
        let unnamed = (0..<6).map { "gone\($0)" }
        let types: [InteractionType] = [.purchase, .purchase, .view, .cartAdd, .wishlistAdd, .cartRemove, .recommendationClick]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        var decided = 0
        var undecided = 0
        for trial in 0..<400 {
            // Half the shoppers bought mostly products that are gone, so browsing decides.
            let pool = trial % 2 == 0 ? named + unnamed : unnamed + ["h0"]
            let history = (0..<next(40)).map { _ in
                Interaction(userID: "u", productID: pool[next(pool.count)], type: types[next(types.count)], occurredAt: Self.now)
            }
            let request = RecommendationRequest(widget: .product, userID: "u", anchorProductID: "p1")
            let whole = builder.query(for: ShopperContext(request: request, history: history))
            for length in 0...history.count {
                let newest = Array(history.prefix(length))
                guard builder.isDecided(byNewest: newest) else {
                    undecided += 1
                    continue
                }
                decided += 1
                let partial = builder.query(for: ShopperContext(request: request, history: newest))
                #expect(partial == whole, "trial \(trial), \(length) of \(history.count) events")
            }
        }
        #expect(decided > 1_000 && undecided > 1_000)

        // The buyer's fifth distinct purchase is the sixth event (h0 twice).
        let buyer = Self.buyer().history
        #expect(builder.isDecided(byNewest: Array(buyer.prefix(6))))
        #expect(!builder.isDecided(byNewest: Array(buyer.prefix(5))))
        // Five purchases of unknown products: the query is browsing, so five browsed are needed too.
        let gone = (0..<5).map { Interaction(userID: "u", productID: "gone\($0)", type: .purchase, occurredAt: Self.now) }
        let views = (0..<5).map { Interaction(userID: "u", productID: "h\($0)", type: .view, occurredAt: Self.now) }
        #expect(!builder.isDecided(byNewest: gone + views.prefix(4)))
        #expect(builder.isDecided(byNewest: gone + views))
    }

    @Test func rerankResortsOnlyTheWindowAndLeavesTheTail() async throws {
        let scorer = Self.scorer()
        let reranker = CrossEncoderReranker(scorer: scorer, catalog: Self.catalog)
        let options = RerankOptions(window: 4, combination: .replace)
        let outcome = try await reranker.rerank([Self.job(Self.buyer(), options)])
        let ids = outcome.lists[0].map(\.productID)
        #expect(ids == ["p3", "p2", "p1", "p0", "p4", "p5", "p6", "p7", "p8", "p9"])
        #expect(scorer.pairs.count == 4)
        #expect(scorer.pairs.allSatisfy { $0.query == "Bought 0 ; Bought 1 ; Bought 2 ; Bought 3 ; Bought 4" })
        #expect(outcome.lists[0][0].rerankLogit == 3)
        #expect(outcome.lists[0][4].rerankLogit == nil)
        #expect(outcome.lists[0][3].final > outcome.lists[0][4].final, "the window stays above the tail")
        #expect(outcome.reports[0].windowUsed == 4)
        #expect(outcome.reports[0].modelPairs == 4)
    }

    @Test func additiveCombinationAddsWeightedSigmoidAndKeepsBlended() async throws {
        let reranker = CrossEncoderReranker(scorer: Self.scorer(), catalog: Self.catalog)
        let options = RerankOptions(window: 3, combination: .additive, weight: 1.0)
        let lists = try await reranker.rerank([Self.job(Self.buyer(), options)]).lists
        for item in lists[0].prefix(3) {
            let logit = try #require(item.rerankLogit)
            let expected = item.blended + 1.0 / (1 + exp(-logit))
            #expect(abs(item.final - expected) < 1e-6)
        }
        // p2: 0.90 + σ(2) = 1.78 > p1: 0.95 + σ(1) = 1.68 > p0: 1.0 + σ(0) = 1.5.
        #expect(lists[0].prefix(3).map(\.productID) == ["p2", "p1", "p0"])
        #expect(lists[0][3].final == lists[0][3].blended)
    }

    @Test func reciprocalRankFusionMixesBothOrders() async throws {
        let reranker = CrossEncoderReranker(scorer: Self.scorer(), catalog: Self.catalog)
        let lists = try await reranker.rerank([Self.job(Self.buyer(), RerankOptions(window: 3, combination: .reciprocalRank))]).lists
        // Blended ranks 1,2,3 and logit ranks 3,2,1: p0 and p2 get 1/61 + 1/63 > p1's 2/62.
        #expect(lists[0].prefix(3).map(\.productID) == ["p0", "p2", "p1"])
        #expect(lists[0][2].final > lists[0][3].final)
    }

    @Test func repeatContextIsServedFromTheCacheWithoutAModelCall() async throws {
        let scorer = Self.scorer()
        let cache = InMemoryRerankScoreCache(capacity: 1000)
        let reranker = CrossEncoderReranker(scorer: scorer, catalog: Self.catalog, cache: cache)
        let options = RerankOptions(window: 5)
        let first = try await reranker.rerank([Self.job(Self.buyer(), options)])
        #expect(scorer.calls == 1)
        #expect(first.reports[0].cacheHits == 0)
        let second = try await reranker.rerank([Self.job(Self.buyer("other user, same purchases"), options)])
        #expect(scorer.calls == 1, "a repeat context costs no model call")
        #expect(second.reports[0].cacheHits == 5)
        #expect(second.reports[0].modelPairs == 0)
        #expect(second.lists[0].map(\.productID) == first.lists[0].map(\.productID))
        #expect(cache.count == 5)
        let key = RerankCacheKey.make(
            modelVersion: scorer.modelVersion,
            contextHash: RerankCacheKey.contextHash(query: "Bought 0 ; Bought 1 ; Bought 2 ; Bought 3 ; Bought 4"),
            productID: "p4"
        )
        #expect(await cache.get(keys: [key]) == [4])
        #expect(key == "ce:\(scorer.modelVersion):\(StableHash.hex("Bought 0 ; Bought 1 ; Bought 2 ; Bought 3 ; Bought 4")):p4")
    }

    @Test func aBatchScoresAllMissesInOneCallAndEachPairOnce() async throws {
        let scorer = Self.scorer()
        let reranker = CrossEncoderReranker(scorer: scorer, catalog: Self.catalog, cache: InMemoryRerankScoreCache())
        let anchored = ShopperContext(request: RecommendationRequest(widget: .product, anchorProductID: "p9"))
        let outcome = try await reranker.rerank(
            [Self.job(Self.buyer(), RerankOptions(window: 4)), Self.job(Self.buyer("twin"), RerankOptions(window: 6)),
             Self.job(anchored, RerankOptions(window: 2))]
        )
        #expect(scorer.calls == 1)
        #expect(scorer.pairs.count == 6 + 2, "the twin's 4 shared pairs are scored once")
        #expect(outcome.reports.map(\.windowUsed) == [4, 6, 2])
    }

    @Test func budgetShrinksTheWindowToWhatFits() async throws {
        let scorer = Self.scorer()
        let estimator = PairCostEstimator(initialMillisecondsPerPair: 10)
        let reranker = CrossEncoderReranker(scorer: scorer, catalog: Self.catalog, costEstimator: estimator)
        let outcome = try await reranker.rerank([Self.job(Self.buyer(), RerankOptions(window: 8, combination: .replace, budgetMilliseconds: 35))])
        #expect(outcome.reports[0].windowUsed == 3)
        #expect(outcome.reports[0].shrunkForBudget)
        #expect(outcome.reports[0].note.contains("budget"))
        #expect(outcome.lists[0].prefix(4).map(\.productID) == ["p2", "p1", "p0", "p3"])
        // Without a cost estimate the budget cannot shrink anything.
        let unknown = CrossEncoderReranker(scorer: scorer, catalog: Self.catalog)
        let full = try await unknown.rerank([Self.job(Self.buyer(), RerankOptions(window: 8, budgetMilliseconds: 1))])
        #expect(full.reports[0].windowUsed == 8)
        #expect(!full.reports[0].shrunkForBudget)
    }

    @Test func costEstimatorIsAnExponentialMovingAverage() {
        let estimator = PairCostEstimator(smoothing: 0.5)
        #expect(estimator.affordablePairs(budgetMilliseconds: 100) == nil)
        estimator.record(pairs: 10, milliseconds: 20)
        #expect(estimator.millisecondsPerPair == 2)
        estimator.record(pairs: 10, milliseconds: 40)
        #expect(estimator.millisecondsPerPair == 3)
        #expect(estimator.affordablePairs(budgetMilliseconds: 10) == 3)
    }

    @Test func noContextOrAFailingModelLeavesTheListBlended() async throws {
        let scorer = Self.scorer()
        let reranker = CrossEncoderReranker(scorer: scorer, catalog: Self.catalog)
        let anonymous = ShopperContext(request: RecommendationRequest(widget: .homepage))
        let outcome = try await reranker.rerank([Self.job(anonymous, RerankOptions(window: 5))])
        #expect(outcome.lists[0] == Self.list())
        #expect(outcome.reports[0].skippedReason == "no_context")
        #expect(scorer.calls == 0)
        scorer.failing = true
        let failed = try await reranker.rerank([Self.job(Self.buyer(), RerankOptions(window: 5))])
        #expect(failed.lists[0] == Self.list())
        #expect(failed.reports[0].skippedReason == "model_error")
    }

    @Test func lruCacheEvictsTheLeastRecentlyUsed() async {
        let cache = InMemoryRerankScoreCache(capacity: 2)
        await cache.set([("a", 1), ("b", 2)])
        _ = await cache.get(keys: ["a"])
        await cache.set([("c", 3)])
        #expect(await cache.get(keys: ["a", "b", "c"]) == [1, nil, 3])
        await cache.set([("d", 4)])
        #expect(await cache.get(keys: ["a", "c", "d"]) == [nil, 3, 4])
        #expect(cache.count == 2)
    }

    @Test func stableHashIsFNV1a() {
        #expect(StableHash.fnv1a64("") == 0xcbf2_9ce4_8422_2325)
        #expect(StableHash.hex("a") == "af63dc4c8601ec8c")
    }

    @Test func explainAddsUpThroughRerankAndBoosts() async throws {
        // p1 is promoted and new: final = (blended + w·σ(logit)) × 1.20 × 1.10, readable from the labels.
        let old = Self.now.addingTimeInterval(-400 * 86_400)
        var products = (0..<10).map { Product(id: "p\($0)", name: "Item \($0)", category: "Cat\($0 % 5)", createdAt: old) }
        products[1].promoted = true
        products[1].createdAt = Self.now.addingTimeInterval(-2 * 86_400)
        products += (0..<7).map { Product(id: "h\($0)", name: "Bought \($0)") }
        let catalog = StaticProductCatalog(products)
        let reranker = CrossEncoderReranker(scorer: Self.scorer(), catalog: catalog)
        let options = RerankOptions(window: 6, combination: .additive, weight: 0.3)
        var list = try await reranker.rerank([Self.job(Self.buyer(), options)]).lists[0]
        RuleChain(options: RuleOptions()).apply(to: &list, context: RuleContext(shopper: Self.buyer(), catalog: catalog))
        for item in list {
            var expected = item.blended + (item.rerankLogit.map { options.weight / (1 + exp(-$0)) } ?? 0)
            for label in item.rulesFired where label.hasPrefix("boost:") {
                let factor = try #require(label.split(separator: "*").last.flatMap { Float($0) })
                expected *= factor
            }
            #expect(abs(item.final - expected) < 1e-5, "\(item.productID): \(item.rulesFired)")
        }
        let boosted = try #require(list.first { $0.productID == "p1" })
        #expect(boosted.rulesFired == ["boost:promotion*1.20", "boost:new_arrival*1.10"])
    }

    @Test func unavailableProductsDoNotTakeWindowSlots() async throws {
        var products = (0..<10).map { Product(id: "p\($0)", name: "Item \($0)", category: "Cat") }
        products[1].inStock = false
        products += (0..<7).map { Product(id: "h\($0)", name: "Bought \($0)") }
        let scorer = Self.scorer()
        let reranker = CrossEncoderReranker(scorer: scorer, catalog: StaticProductCatalog(products))
        let outcome = try await reranker.rerank([Self.job(Self.buyer(), RerankOptions(window: 3, combination: .replace))])
        #expect(Set(scorer.pairs.map(\.document)) == ["Item 0 | Cat", "Item 2 | Cat", "Item 3 | Cat"])
        #expect(outcome.lists[0].map(\.productID).prefix(4) == ["p3", "p2", "p0", "p1"])
        #expect(outcome.lists[0].count == 10)
        #expect(outcome.reports[0].windowUsed == 3)
    }
}
