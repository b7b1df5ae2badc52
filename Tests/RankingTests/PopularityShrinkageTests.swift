import Candidates
import Domain
import Foundation
import Rules
import Scoring
import Testing
import TestSupport

@testable import Ranking

@Suite("The homepage's popularity weight shrinks with the shopper's purchases")
struct PopularityShrinkageTests {
    static let now = RulesFixture.now

    static func purchase(_ product: String, daysAgo: Double) -> Interaction {
        Interaction(userID: "u1", productID: product, type: .purchase, occurredAt: now.addingTimeInterval(-daysAgo * 86_400))
    }

    static func shopper(history: [Interaction] = [], purchased: Set<ProductID>? = nil) -> ShopperContext {
        ShopperContext(
            request: RecommendationRequest(widget: .homepage, userID: "u1", limit: 10), history: history,
            purchased: purchased ?? Set(history.map(\.productID)), now: now)
    }

    @Test("γ · k/(k + n): a newcomer keeps γ, k purchases halve it, a heavy buyer gets far less")
    func factorFollowsTheDistinctPurchases() {
        let shrinkage = PopularityShrinkage(halvingPurchases: 10)
        let weights = RankingWeights(content: 0.1, collaborative: 0.5, popularity: 0.5)
        let newcomer = Self.shopper()
        let tenProducts = Self.shopper(history: (0..<10).map { Self.purchase("p\($0)", daysAgo: 1) })
        let heavy = Self.shopper(history: (0..<90).map { Self.purchase("p\($0)", daysAgo: 1) })
        #expect(shrinkage.weights(weights, for: newcomer) == weights)
        #expect(shrinkage.weights(weights, for: tenProducts).popularity == 0.25)
        #expect(shrinkage.weights(weights, for: heavy).popularity == 0.05)
        #expect(shrinkage.weights(weights, for: heavy).collaborative == 0.5, "only γ moves")
        #expect(shrinkage.weights(weights, for: heavy).content == 0.1)
    }

    @Test("Repeat purchases count once; the purchased set counts when the served history is only the newest events")
    func countsDistinctProductsAndThePurchasedSet() {
        let shrinkage = PopularityShrinkage(halvingPurchases: 4)
        let repeats = Self.shopper(history: (0..<12).map { Self.purchase("p\($0 % 4)", daysAgo: Double($0)) })
        #expect(shrinkage.purchaseCount(of: repeats) == 4)
        let truncated = Self.shopper(history: [Self.purchase("p0", daysAgo: 1)], purchased: Set((0..<12).map { "p\($0)" }))
        #expect(shrinkage.purchaseCount(of: truncated) == 12)
        #expect(shrinkage.factor(for: truncated) == 0.25)
    }

    @Test("With a window only the recent purchases count")
    func windowCountsRecentPurchasesOnly() {
        let shrinkage = PopularityShrinkage(halvingPurchases: 2, windowDays: 14)
        let history = [Self.purchase("a", daysAgo: 1), Self.purchase("b", daysAgo: 13), Self.purchase("c", daysAgo: 40)]
        let shopper = Self.shopper(history: history, purchased: ["a", "b", "c", "d"])
        #expect(shrinkage.purchaseCount(of: shopper) == 2)
        #expect(shrinkage.factor(for: shopper) == 0.5)
    }

    /// Co-purchase proposes A, popularity B, both at the top of their source (signal 1); β 0.5,
    /// γ 0.6. Without shrinkage B leads for everyone; with k = 10 a shopper who bought 20
    /// products gets γ 0.2, so the collaborative A leads, while a newcomer still sees B first.
    func ranked(purchases: Int, shrinkage: PopularityShrinkage?) async throws -> [ProductID] {
        let pipeline = RecommendationPipeline(
            sources: [
                FixedCandidateSource(origin: .coPurchase, list: [Candidate(productID: "A", origin: .coPurchase, rawScore: 1)]),
                FixedCandidateSource(origin: .popularity, list: [Candidate(productID: "B", origin: .popularity, rawScore: 1)]),
            ],
            scorer: BlendedScorer(), reranker: nil)
        var options = PipelineOptions(
            weights: RankingWeights(content: 0, collaborative: 0.5, popularity: 0.6), popularityShrinkage: shrinkage)
        options.rules.excludePurchased = true
        options.rules.promotionBoost = 0
        options.rules.newArrivalBoost = 0
        options.rules.diversityMaxPerCategory = 0
        options.rules.fill = false
        let bought = (0..<purchases).map { "p\($0)" }
        let context = RulesFixture.context(["A", "B"].map { RulesFixture.product($0) }, purchased: Set(bought))
        let result = try await pipeline.rank(RankingJob(shopper: context.shopper, options: options, rules: context))
        return result.items.map(\.productID)
    }

    @Test("In the pipeline: a heavy buyer leans on the collaborative candidate, a newcomer on popularity")
    func pipelineBlendsWithTheShoppersGamma() async throws {
        #expect(try await ranked(purchases: 20, shrinkage: nil) == ["B", "A"])
        #expect(try await ranked(purchases: 20, shrinkage: PopularityShrinkage(halvingPurchases: 10)) == ["A", "B"])
        #expect(try await ranked(purchases: 0, shrinkage: PopularityShrinkage(halvingPurchases: 10)) == ["B", "A"])
    }

    @Test("Only the homepage carries the serving default; the other widgets keep one γ")
    func onlyTheHomepageShrinks() {
        let base = PipelineOptions()
        #expect(base.popularityShrinkage == nil)
        #expect(base.defaults(for: .homepage).popularityShrinkage == WidgetProfile.homepagePopularityShrinkage)
        #expect(base.defaults(for: .cart).popularityShrinkage == nil)
        #expect(base.defaults(for: .product).popularityShrinkage == nil)
    }
}
