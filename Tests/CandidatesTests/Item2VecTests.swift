import Candidates
import Domain
import Foundation
import Testing
import TestSupport

/// item2vec: the skip-gram trainer on toy corpora with a known structure, its determinism, the
/// neighbour source and the switch that adds it to the offline pipeline.
@Suite struct Item2VecTests {
    @Test func coBoughtProductsEndUpCloserThanProductsNeverBoughtTogether() {
        let embeddings = Item2VecTrainer.train(Item2VecFixture.twoGroupCorpus(), configuration: Item2VecFixture.toyConfiguration)
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
        let embeddings = Item2VecTrainer.train(sequences, configuration: Item2VecFixture.toyConfiguration)
        #expect(embeddings.cosine("X", "Y")! > embeddings.cosine("X", "Z")! + 0.3)
    }

    @Test func theSameSeedGivesTheSameVectorsAndAnotherSeedOthers() {
        let corpus = Item2VecFixture.twoGroupCorpus()
        let first = Item2VecTrainer.train(corpus, configuration: Item2VecFixture.toyConfiguration)
        let second = Item2VecTrainer.train(corpus, configuration: Item2VecFixture.toyConfiguration)
        #expect(first.productIDs == second.productIDs)
        #expect(first.vectors == second.vectors)
        var reseeded = Item2VecFixture.toyConfiguration
        reseeded.seed = 2
        #expect(Item2VecTrainer.train(corpus, configuration: reseeded).vectors != first.vectors)
    }

    @Test func rareProductsGetNoVectorAndVectorsAreUnitLength() {
        var corpus = Item2VecFixture.twoGroupCorpus(baskets: 40)
        corpus.append(.init(items: ["A0", "RARE"], isUnordered: true))
        var configuration = Item2VecFixture.toyConfiguration
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
        let index = Item2VecIndex(configuration: .init(training: Item2VecFixture.toyConfiguration, neighboursPerItem: 5))
        index.replace(with: Item2VecTrainer.train(Item2VecFixture.twoGroupCorpus(), configuration: Item2VecFixture.toyConfiguration))
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
}
