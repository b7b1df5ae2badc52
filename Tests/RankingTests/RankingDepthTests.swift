import Candidates
import Domain
import Foundation
import Rules
import Scoring
import Testing
import TestSupport

@testable import Ranking

/// A source with a fixed list: pure logic, no servers.
private struct FixedSource: CandidateSource {
    let origin = CandidateOrigin.content
    let list: [Candidate]

    func candidates(for contexts: [ShopperContext], limit: Int) async throws -> [[Candidate]] {
        contexts.map { _ in list }
    }
}

@Suite("Ranking depth between blending and the rules")
struct RankingDepthTests {
    /// 100 candidates with descending scores; the 81st is promoted with a boost large enough to
    /// lift it to the top if the rules ever see it.
    func run(depth: Int) async throws -> [ProductID] {
        let ids = (0..<100).map { String(format: "P%03d", $0) }
        let products = ids.map { RulesFixture.product($0, promoted: $0 == "P080") }
        let list = ids.enumerated().map { Candidate(productID: $1, origin: .content, rawScore: 1 - Float($0) / 100) }
        let pipeline = RecommendationPipeline(
            sources: [FixedSource(list: list)], scorer: BlendedScorer(), reranker: nil, rankingDepth: depth)
        var options = PipelineOptions()
        options.rules.promotionBoost = 10
        options.rules.newArrivalBoost = 0
        options.rules.diversityMaxPerCategory = 0
        let context = RulesFixture.context(products)
        let result = try await pipeline.rank(RankingJob(shopper: context.shopper, options: options, rules: context))
        return result.items.map(\.productID)
    }

    @Test("Items below the depth never reach the rules; a deeper cut lets the boost lift them")
    func depthBoundsTheRules() async throws {
        let shallow = try await run(depth: 60)
        #expect(shallow.count == 10)
        #expect(!shallow.contains("P080"))
        #expect(shallow.first == "P000")
        let deep = try await run(depth: 100)
        #expect(deep.first == "P080")
    }
}
