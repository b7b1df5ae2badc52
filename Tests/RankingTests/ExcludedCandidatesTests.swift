import Candidates
import Domain
import Foundation
import Rules
import Scoring
import Testing
import TestSupport

@testable import Ranking

@Suite("Stage 1 drops the candidates the exclusion rule would remove")
struct ExcludedCandidatesTests {
    /// Co-purchase proposes the shopper's own purchase P first (raw 1.0) and A (0.5); popularity
    /// proposes B. With P in the blend, co-purchase's max is P's, so A's signal is 0.5 and B wins;
    /// without it, A's signal is 1 and A wins. P is never shown either way.
    func run(drops: Bool, excludePurchased: Bool = true) async throws -> [ProductID] {
        let products = ["P", "A", "B"].map { RulesFixture.product($0) }
        let pipeline = RecommendationPipeline(
            sources: [
                FixedCandidateSource(origin: .coPurchase, list: [
                    Candidate(productID: "P", origin: .coPurchase, rawScore: 1),
                    Candidate(productID: "A", origin: .coPurchase, rawScore: 0.5),
                ]),
                FixedCandidateSource(origin: .popularity, list: [Candidate(productID: "B", origin: .popularity, rawScore: 1)]),
            ],
            scorer: BlendedScorer(), reranker: nil, dropsExcludedCandidates: drops)
        var options = PipelineOptions(weights: RankingWeights(content: 0, collaborative: 0.5, popularity: 0.4))
        options.rules.excludePurchased = excludePurchased
        options.rules.promotionBoost = 0
        options.rules.newArrivalBoost = 0
        options.rules.diversityMaxPerCategory = 0
        options.rules.fill = false
        let context = RulesFixture.context(products, purchased: ["P"])
        let result = try await pipeline.rank(RankingJob(shopper: context.shopper, options: options, rules: context))
        return result.items.map(\.productID)
    }

    @Test("A purchase no longer sets the co-purchase scale of the servable candidates")
    func dropsPurchasesBeforeTheBlend() async throws {
        #expect(try await run(drops: false) == ["B", "A"])
        #expect(try await run(drops: true) == ["A", "B"])
    }

    @Test("Serving drops them by default (issue #20, docs/QUALITY.md)")
    func onByDefault() {
        #expect(RecommendationPipeline(sources: [], scorer: BlendedScorer(), reranker: nil).dropsExcludedCandidates)
    }

    @Test("Only what the rules exclude is dropped: with purchases allowed, P stays and leads")
    func keepsWhatTheRulesAllow() async throws {
        #expect(try await run(drops: true, excludePurchased: false) == ["P", "B", "A"])
    }

    @Test("The cart's items are dropped when the context is excluded")
    func dropsTheContext() async throws {
        let job = RankingJob(
            shopper: ShopperContext(request: RecommendationRequest(widget: .cart, userID: "u1", cartItems: ["X"], limit: 10), now: RulesFixture.now),
            options: { var o = PipelineOptions(); o.rules.excludeContext = true; o.rules.excludePurchased = false; return o }(),
            rules: RulesFixture.context([]))
        #expect(RecommendationPipeline.excludedCandidates(for: job) == ["X"])
    }
}
