import Candidates
import Domain
import Experiments
import Foundation
import Rules
import Scoring
import Testing
import TestSupport

@testable import Engine
@testable import Ranking

/// A source that counts how often the pipeline asks it.
private final class CountingItem2VecSource: CandidateSource, @unchecked Sendable {
    let origin = CandidateOrigin.item2vec
    private let lock = NSLock()
    private var asked = 0
    var calls: Int { lock.withLock { asked } }

    func candidates(for contexts: [ShopperContext], limit: Int) async throws -> [[Candidate]] {
        lock.withLock { asked += 1 }
        return contexts.map { _ in [Candidate(productID: "P2", origin: .item2vec, rawScore: 1)] }
    }
}

private struct FixedCoPurchase: CandidateSource {
    let origin = CandidateOrigin.coPurchase
    func candidates(for contexts: [ShopperContext], limit: Int) async throws -> [[Candidate]] {
        contexts.map { _ in [Candidate(productID: "P1", origin: .coPurchase, rawScore: 1)] }
    }
}

/// item2vec in the served pipeline: asked only where δ > 0, set per variant, switched by configuration.
@Suite struct Item2VecServingTests {
    @Test func theItem2VecSourceIsAskedOnlyWhenARequestBlendsIt() async throws {
        let item2vec = CountingItem2VecSource()
        let pipeline = RecommendationPipeline(sources: [FixedCoPurchase(), item2vec], scorer: BlendedScorer(), reranker: nil)
        let products = ["P1", "P2"].map { RulesFixture.product($0) }
        let context = RulesFixture.context(products)
        var options = PipelineOptions()
        options.rules.diversityMaxPerCategory = 0
        options.rules.fill = false
        let plain = try await pipeline.rank(RankingJob(shopper: context.shopper, options: options, rules: context))
        #expect(item2vec.calls == 0)
        #expect(plain.items.map(\.productID) == ["P1"])

        let blended = options.applying(VariantParameters(item2vecWeight: 2))
        #expect(blended.weights.item2vec == 2)
        let result = try await pipeline.rank(RankingJob(shopper: context.shopper, options: blended, rules: context))
        #expect(item2vec.calls == 1)
        #expect(result.items.map(\.productID) == ["P2", "P1"])
    }

    @Test func variantsAndSettingsTakeItem2VecWeightAndRefuseANegativeOne() throws {
        let parameters = try JSONDecoder().decode(VariantParameters.self, from: Data(#"{"item2vec_weight":0.1}"#.utf8))
        #expect(parameters.item2vecWeight == 0.1)
        #expect(PipelineOptions().applying(parameters).weights.item2vec == 0.1)
        let errors = ExperimentValidator().validate(VariantParameters(item2vecWeight: -1), path: "parameters")
        #expect(errors.map(\.field) == ["parameters.item2vec_weight"])
    }

    @Test func theEnvironmentSwitchesItem2VecTraining() {
        #expect(ServiceConfiguration(environment: ["HYBRIDRANK_ITEM2VEC": "off"]).item2vec == false)
        #expect(ServiceConfiguration(environment: ["HYBRIDRANK_ITEM2VEC": "on"]).item2vec == true)
    }
}

/// `serve` and the CLI's database commands find PostgreSQL and its schema by one rule.
struct DatabaseEnvironmentTests {
    @Test func anEmptyVariableIsSkippedAlike() {
        let environment = ["DATABASE_URL": "", "POSTGRES_URL": "postgresql://db/shop", "HYBRIDRANK_DATABASE_SCHEMA": ""]
        #expect(ServiceConfiguration.databaseURL(in: environment) == "postgresql://db/shop")
        #expect(ServiceConfiguration(environment: environment).databaseURL == "postgresql://db/shop")
        #expect(ServiceConfiguration.databaseSchema(in: environment) == nil)
        #expect(ServiceConfiguration.databaseSchema(in: ["HYBRIDRANK_DATABASE_SCHEMA": "shop1"]) == "shop1")
        #expect(ServiceConfiguration.databaseURL(in: [:]) == nil)
    }
}
