import Candidates
import Domain
import Evaluation
import Foundation
import Scoring
import Testing

/// item2vec: the skip-gram trainer on toy corpora with a known structure, its determinism, the
/// neighbour source and the switch that adds it to the offline pipeline.
@Suite struct Item2VecTests {
    /// Two groups of six products; every basket holds three products of one group. Products of
    /// one group are bought together, never with the other group's.
    static func twoGroupCorpus(baskets: Int = 300, seed: UInt64 = 7) -> [Item2VecTrainer.Sequence] {
        let groups = [(0..<6).map { "A\($0)" }, (0..<6).map { "B\($0)" }]
        var random = SplitMix64(seed: seed)
        return (0..<baskets).map { index in
            let group = groups[index % 2]
            var picked = Set<String>()
            while picked.count < 3 { picked.insert(group[Int(random.next() % 6)]) }
            return Item2VecTrainer.Sequence(items: picked.sorted(), isUnordered: true)
        }
    }

    static let toyConfiguration = Item2VecTrainer.Configuration(
        dimensions: 16, window: 3, negatives: 4, epochs: 10, learningRate: 0.05, minCount: 1, subsampling: 0, seed: 1)

    @Test func coBoughtProductsEndUpCloserThanProductsNeverBoughtTogether() {
        let embeddings = Item2VecTrainer.train(Self.twoGroupCorpus(), configuration: Self.toyConfiguration)
        #expect(embeddings.count == 12)
        var within: [Float] = [], across: [Float] = []
        for a in embeddings.productIDs {
            for b in embeddings.productIDs where a < b {
                let cosine = embeddings.cosine(a, b)!
                if a.first == b.first { within.append(cosine) } else { across.append(cosine) }
            }
        }
        let meanWithin = within.reduce(0, +) / Float(within.count)
        let meanAcross = across.reduce(0, +) / Float(across.count)
        #expect(meanWithin > meanAcross + 0.3, "within \(meanWithin), across \(meanAcross)")
        // Every product's five nearest neighbours are the rest of its own group.
        for (row, list) in embeddings.nearestNeighbours(limit: 5).enumerated() {
            let own = embeddings.productIDs[row].first
            #expect(list.allSatisfy { embeddings.productIDs[Int($0.ordinal)].first == own })
        }
    }

    @Test func sharedContextsWithoutASharedBasketStillMakeNeighbours() {
        // X and Y are never in one basket, but both are always bought with M1..M3; Z never is.
        var sequences: [Item2VecTrainer.Sequence] = []
        for index in 0..<200 {
            let m = "M\(1 + index % 3)"
            sequences.append(.init(items: [index % 2 == 0 ? "X" : "Y", m], isUnordered: true))
            sequences.append(.init(items: ["Z", "N\(1 + index % 3)"], isUnordered: true))
        }
        let embeddings = Item2VecTrainer.train(sequences, configuration: Self.toyConfiguration)
        #expect(embeddings.cosine("X", "Y")! > embeddings.cosine("X", "Z")! + 0.3)
    }

    @Test func theSameSeedGivesTheSameVectorsAndAnotherSeedOthers() {
        let corpus = Self.twoGroupCorpus()
        let first = Item2VecTrainer.train(corpus, configuration: Self.toyConfiguration)
        let second = Item2VecTrainer.train(corpus, configuration: Self.toyConfiguration)
        #expect(first.productIDs == second.productIDs)
        #expect(first.vectors == second.vectors)
        var reseeded = Self.toyConfiguration
        reseeded.seed = 2
        #expect(Item2VecTrainer.train(corpus, configuration: reseeded).vectors != first.vectors)
    }

    @Test func rareProductsGetNoVectorAndVectorsAreUnitLength() {
        var corpus = Self.twoGroupCorpus(baskets: 40)
        corpus.append(.init(items: ["A0", "RARE"], isUnordered: true))
        var configuration = Self.toyConfiguration
        configuration.minCount = 2
        let embeddings = Item2VecTrainer.train(corpus, configuration: configuration)
        #expect(embeddings.ordinal(of: "RARE") == nil)
        for id in embeddings.productIDs {
            let norm = embeddings.vector(of: id)!.reduce(0) { $0 + $1 * $1 }
            #expect(abs(norm - 1) < 1e-4)
        }
    }

    @Test func sequencesAreBasketsAsSetsAndShoppersInTimeOrder() {
        let events = [
            TestFixtures.purchase("u1", "B", basket: "1", day: 0), TestFixtures.purchase("u1", "A", basket: "1", day: 0),
            TestFixtures.purchase("u1", "C", basket: "2", day: 2), TestFixtures.purchase("u1", "C", basket: "3", day: 3),
            TestFixtures.purchase("u2", "D", basket: "4", day: 1),
        ]
        let sequences = Item2VecTrainer.sequences(from: events)
        #expect(sequences.filter(\.isUnordered).map(\.items) == [["A", "B"], ["C"], ["C"], ["D"]])
        // Same time: by product id; a repeated purchase in a row counts once.
        #expect(sequences.filter { !$0.isUnordered }.map(\.items) == [["A", "B", "C"], ["D"]])
    }

    @Test func theSourceProposesNeighboursOfTheSeedsAndNeverTheSeeds() async throws {
        let index = Item2VecIndex(configuration: .init(training: Self.toyConfiguration, neighboursPerItem: 5))
        index.replace(with: Item2VecTrainer.train(Self.twoGroupCorpus(), configuration: Self.toyConfiguration))
        let source = Item2VecSource(index: index)
        let now = TestFixtures.day(10)
        let cart = ShopperContext(request: RecommendationRequest(widget: .cart, userID: "u", cartItems: ["A0", "A1"], filter: .none), now: now)
        let product = ShopperContext(
            request: RecommendationRequest(widget: .product, userID: nil, anchorProductID: "B2", filter: .none), now: now)
        let home = ShopperContext(
            request: RecommendationRequest(widget: .homepage, userID: "u", filter: .none),
            history: [TestFixtures.purchase("u", "B5", basket: "9", day: 9)], now: now)
        let search = ShopperContext(request: RecommendationRequest(widget: .search, userID: nil, filter: .none), now: now)
        let lists = try await source.candidates(for: [cart, product, home, search], limit: 4)
        #expect(lists[0].count == 4 && lists[0].allSatisfy { $0.productID.hasPrefix("A") && !["A0", "A1"].contains($0.productID) })
        #expect(lists[1].count == 4 && lists[1].allSatisfy { $0.productID.hasPrefix("B") && $0.productID != "B2" })
        #expect(lists[2].count == 4 && lists[2].allSatisfy { $0.productID.hasPrefix("B") && $0.productID != "B5" })
        #expect(lists[3].isEmpty)
        #expect(lists.joined().allSatisfy { $0.origin == .item2vec })
        // Best first.
        #expect(lists[0].map(\.rawScore) == lists[0].map(\.rawScore).sorted(by: >))
    }

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
        for (index, sequence) in Self.twoGroupCorpus(baskets: 200).enumerated() {
            for item in sequence.items { history.append(TestFixtures.purchase("u\(index % 20)", item, basket: "b\(index)", day: Double(index) / 40)) }
        }
        var options = OfflineRecommender.Options()
        let plain = OfflineRecommender(products: products, history: history, now: TestFixtures.day(6), embeddings: nil, options: options)
        #expect(!plain.candidateOrigins.contains(.item2vec))
        options.item2vec = Item2VecIndex.Configuration(training: Self.toyConfiguration, neighboursPerItem: 5)
        options.cartWeights.item2vec = 0.5
        let switched = OfflineRecommender(products: products, history: history, now: TestFixtures.day(6), embeddings: nil, options: options)
        #expect(switched.candidateOrigins.contains(.item2vec))
        #expect(!OfflineRecommender.buildsSameIndexes(OfflineRecommender.Options(), options))
        let lists = try await switched.recommend(carts: [CartQuery(basketID: "q", customerID: "new", cart: ["A0"])])
        // The cart's group fills the top of the list; the cart item itself never appears.
        #expect(lists["q"]!.prefix(5).allSatisfy { $0.hasPrefix("A") && $0 != "A0" })
    }
}
