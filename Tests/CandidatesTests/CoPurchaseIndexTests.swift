import Candidates
import Domain
import Foundation
import Testing

@Suite struct CoPurchaseIndexTests {
    /// Baskets: {A,B,C}, {A,B}, {A,D}, {B,C}.
    static func index(_ normalization: CoPurchaseIndex.Normalization = .cosine) -> CoPurchaseIndex {
        let index = CoPurchaseIndex(configuration: .init(normalization: normalization, neighboursPerItem: 10))
        let events = [
            ("1", ["A", "B", "C"]), ("2", ["A", "B"]), ("3", ["A", "D"]), ("4", ["B", "C"]),
        ].flatMap { basket, items in items.map { TestFixtures.purchase("u\(basket)", $0, basket: basket, day: 0) } }
        index.rebuild(from: events, groupKey: \.basketID)
        return index
    }

    @Test func countsCoOccurrencesOverBaskets() {
        let index = Self.index()
        #expect(index.coOccurrence("A", "B") == 2)
        #expect(index.coOccurrence("B", "C") == 2)
        #expect(index.coOccurrence("A", "C") == 1)
        #expect(index.coOccurrence("A", "D") == 1)
        #expect(index.coOccurrence("C", "D") == 0)
    }

    @Test func cosineDividesBySupport() {
        // n_A = 3, n_B = 3, n_C = 2, n_D = 1: cos(A,B) = 2/3, cos(A,D) = 1/√3, cos(A,C) = 1/√6.
        let neighbours = Self.index().neighbours(of: "A")
        #expect(neighbours.map(\.productID) == ["B", "D", "C"])
        #expect(abs(neighbours[0].score - 2.0 / 3.0) < 1e-6)
        #expect(abs(neighbours[1].score - 1 / Float(3).squareRoot()) < 1e-6)
    }

    @Test func conditionalProbabilityFavoursBestSellers() {
        // P(j | D) = C_Dj / n_D: D's only neighbour A.
        let neighbours = Self.index(.conditionalProbability).neighbours(of: "C")
        #expect(neighbours.first?.productID == "B")
        #expect(abs(neighbours[0].score - 1) < 1e-6)
    }

    @Test func exponentSharpensNeighbourScoresWithoutReordering() {
        let index = CoPurchaseIndex(configuration: .init(normalization: .cosine, neighboursPerItem: 10, exponent: 2))
        let events = [
            ("1", ["A", "B", "C"]), ("2", ["A", "B"]), ("3", ["A", "D"]), ("4", ["B", "C"]),
        ].flatMap { basket, items in items.map { TestFixtures.purchase("u\(basket)", $0, basket: basket, day: 0) } }
        index.rebuild(from: events, groupKey: \.basketID)
        let neighbours = index.neighbours(of: "A")
        #expect(neighbours.map(\.productID) == ["B", "D", "C"])
        #expect(abs(neighbours[0].score - 4.0 / 9.0) < 1e-6)  // (2/3)²
        #expect(abs(neighbours[1].score - 1.0 / 3.0) < 1e-6)  // (1/√3)²
    }

    @Test func incrementalBasketIsVisibleImmediately() {
        let index = Self.index()
        #expect(index.coOccurrence("C", "D") == 0)
        index.add(basket: "5", items: ["C", "D"], at: TestFixtures.day(1))
        #expect(index.coOccurrence("C", "D") == 1)
        #expect(index.neighbours(of: "D").map(\.productID).contains("C"))
    }

    @Test func seedScoresSumOverSeeds() {
        let index = Self.index()
        let scores = index.scores(seeds: [("A", 1), ("C", 1)])
        // B: cos(A,B) + cos(C,B) = 2/3 + 2/√6.
        let expected = 2.0 / 3.0 + 2 / Float(6).squareRoot()
        #expect(abs((scores["B"] ?? 0) - expected) < 1e-5)
    }
}
