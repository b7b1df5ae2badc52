import Candidates
import Domain
import Evaluation
import Foundation
import Scoring
import Testing
import TestSupport

/// item2vec's weight in the blend and its switch in the offline pipeline.
struct Item2VecBlendTests {
    @Test func theScorerBlendsItem2VecWithItsOwnWeightOnly() {
        let candidates = [
            Candidate(productID: "x", origin: .coPurchase, rawScore: 1),
            Candidate(productID: "y", origin: .item2vec, rawScore: 2),
        ]
        let scorer = BlendedScorer()
        let without = scorer.score(request: candidates, weights: RankingWeights(content: 0, collaborative: 1, popularity: 0))
        #expect(without.map(\.productID) == ["x", "y"])
        #expect(without.last!.blended == 0 && without.last!.item2vec == 1)
        let with = scorer.score(request: candidates, weights: RankingWeights(content: 0, collaborative: 1, popularity: 0, item2vec: 2))
        #expect(with.map(\.productID) == ["y", "x"])
        #expect(with.first!.rawScores[.item2vec] == 2)
    }

    @Test func weightsWithoutItem2VecDecodeAndEncodeAsBefore() throws {
        let old = try JSONDecoder().decode(RankingWeights.self, from: Data(#"{"content":0.1,"collaborative":0.5,"popularity":0.5}"#.utf8))
        #expect(old == RankingWeights(content: 0.1, collaborative: 0.5, popularity: 0.5, item2vec: 0))
        let encoded = try JSONSerialization.jsonObject(with: JSONEncoder().encode(old)) as! [String: Any]
        #expect(Set(encoded.keys) == ["content", "collaborative", "popularity"])
        let set = RankingWeights(content: 0, collaborative: 1, popularity: 0, item2vec: 0.25)
        #expect(try JSONDecoder().decode(RankingWeights.self, from: JSONEncoder().encode(set)) == set)
    }

    @Test func theOfflinePipelineAddsTheSourceOnlyWhenConfigured() async throws {
        let products = ["A0", "A1", "A2", "A3", "A4", "A5", "B0", "B1", "B2", "B3", "B4", "B5"].map { Product(id: $0, name: "item \($0)") }
        var history: [Interaction] = []
        for (index, sequence) in Item2VecFixture.twoGroupCorpus(baskets: 200).enumerated() {
            for item in sequence.items { history.append(TestFixtures.purchase("u\(index % 20)", item, basket: "b\(index)", day: Double(index) / 40)) }
        }
        var options = OfflineRecommender.Options()
        let plain = OfflineRecommender(products: products, history: history, now: TestFixtures.day(6), embeddings: nil, options: options)
        #expect(!plain.candidateOrigins.contains(.item2vec))
        options.item2vec = Item2VecIndex.Configuration(training: Item2VecFixture.toyConfiguration, neighboursPerItem: 5)
        options.cartWeights.item2vec = 0.5
        let switched = OfflineRecommender(products: products, history: history, now: TestFixtures.day(6), embeddings: nil, options: options)
        #expect(switched.candidateOrigins.contains(.item2vec))
        #expect(!OfflineRecommender.buildsSameIndexes(OfflineRecommender.Options(), options))
        let lists = try await switched.recommend(carts: [CartQuery(basketID: "q", customerID: "new", cart: ["A0"])])
        // The cart's group fills the top of the list; the cart item itself never appears.
        #expect(lists["q"]!.prefix(5).allSatisfy { $0.hasPrefix("A") && $0 != "A0" })
    }
}
