import Domain
import Scoring
import Testing

@Suite struct BlendedScorerTests {
    /// Three products from three sources; x and y proposed twice.
    static let candidates = [
        Candidate(productID: "x", origin: .content, rawScore: 0.8),
        Candidate(productID: "y", origin: .content, rawScore: 0.4),
        Candidate(productID: "x", origin: .coPurchase, rawScore: 2),
        Candidate(productID: "z", origin: .coPurchase, rawScore: 4),
        Candidate(productID: "y", origin: .popularity, rawScore: 10),
    ]
    static let weights = RankingWeights(content: 0.3, collaborative: 0.5, popularity: 0.2)

    @Test func blendsNormalisedSignalsAndMergesDuplicates() {
        let candidates = Self.candidates, weights = Self.weights
        let items = BlendedScorer(normalization: .maxScaled).score(request: candidates, weights: weights)
        let byID = Dictionary(uniqueKeysWithValues: items.map { ($0.productID, $0) })
        #expect(items.count == 3)
        // x: content 1, co-purchase 0.5 → 0.3 + 0.25 = 0.55; z: co-purchase 1 → 0.5; y: content 0.5, pop 1 → 0.35.
        #expect(abs(byID["x"]!.blended - 0.55) < 1e-6)
        #expect(abs(byID["z"]!.blended - 0.5) < 1e-6)
        #expect(abs(byID["y"]!.blended - 0.35) < 1e-6)
        #expect(items.map(\.productID) == ["x", "z", "y"])
        #expect(byID["x"]!.rawScores == [.content: 0.8, .coPurchase: 2])
        #expect(byID["x"]!.final == byID["x"]!.blended)
    }

    @Test func aDepthKeepsTheBestItemsAfterBlendingEveryCandidate() {
        let candidates = Self.candidates, weights = Self.weights
        let scorer = BlendedScorer(normalization: .maxScaled)
        let all = scorer.score(request: candidates, weights: weights)
        let lists = [2, 0, 10].map { scorer.score(request: candidates, weights: weights, depth: $0) }
        #expect(lists[0] == Array(all.prefix(2)), "the same items, normalised over all five candidates")
        #expect(lists[1].isEmpty)
        #expect(lists[2] == all)
    }

    @Test func rankAndMinMaxNormalisation() {
        let candidates = [
            Candidate(productID: "a", origin: .popularity, rawScore: 30),
            Candidate(productID: "b", origin: .popularity, rawScore: 20),
            Candidate(productID: "c", origin: .popularity, rawScore: 10),
        ]
        let weights = RankingWeights(content: 0, collaborative: 0, popularity: 1)
        let minMax = BlendedScorer(normalization: .minMax).score(request: candidates, weights: weights)
        #expect(minMax.map(\.popularity) == [1, 0.5, 0])
        let rank = BlendedScorer(normalization: .rank).score(request: candidates, weights: weights)
        // Rank normalisation: 1 - rank / n, computed in Float (compare within rounding).
        let expected: [Float] = [1, 2.0 / 3, 1.0 / 3]
        #expect(rank.count == expected.count)
        for (got, want) in zip(rank.map(\.popularity), expected) { #expect(abs(got - want) < 1e-6) }
    }
}
