import Candidates
import Domain
import Foundation
import Testing
import TestSupport

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

    /// The customers' configuration (180-day half-life) squares a scale of e^((t − 2010)/260 days):
    /// past `Float` in 2041. The epoch moves with the purchases, at a rebuild and on `add`, and
    /// the cosines stay those of the decayed counts.
    @Test(arguments: [2011, 2026, 2045, 2100])
    func cosinesStayFiniteAndRightInAnyYear(year: Int) throws {
        let start = try #require(Calendar(identifier: .gregorian).date(from: DateComponents(
            timeZone: TimeZone(identifier: "UTC"), year: year, month: 6, day: 1)))
        let baskets = [("1", ["A", "B", "C"]), ("2", ["A", "B"]), ("3", ["A", "D"]), ("4", ["B", "C"])]
        let rebuilt = CoPurchaseIndex(configuration: .customers)
        rebuilt.rebuild(
            from: baskets.flatMap { basket, items in
                items.map { Interaction(userID: "u" + basket, productID: $0, type: .purchase, basketID: basket, occurredAt: start) }
            },
            groupKey: \.basketID)
        let added = CoPurchaseIndex(configuration: .customers)
        for (basket, items) in baskets { added.add(basket: basket, items: items, at: start) }
        for index in [rebuilt, added] {
            // As in cosineDividesBySupport: cos(A,B) = 2/3, cos(A,D) = 1/√3, cos(A,C) = 1/√6.
            let neighbours = index.neighbours(of: "A")
            #expect(neighbours.map(\.productID) == ["B", "D", "C"], "year \(year)")
            #expect(abs((neighbours.first?.score ?? 0) - 2.0 / 3.0) < 1e-5, "year \(year)")
            #expect(abs((neighbours.last?.score ?? 0) - 1 / Float(6).squareRoot()) < 1e-5, "year \(year)")
        }
    }

    /// Purchases 35 years apart in one index: the epoch moves on the way and the old baskets
    /// fade to nothing beside the new ones.
    @Test func anEpochMoveBetweenPurchasesKeepsTheNewNeighbours() {
        let index = CoPurchaseIndex(configuration: .customers)
        let old = Date(timeIntervalSince1970: 1_300_000_000)  // 2011
        let new = Date(timeIntervalSince1970: 2_400_000_000)  // 2046
        index.add(basket: "old", items: ["A", "Z"], at: old)
        #expect(index.neighbours(of: "A").map(\.productID) == ["Z"])
        index.add(basket: "new1", items: ["A", "B"], at: new)
        index.add(basket: "new2", items: ["A", "C"], at: new)
        index.add(basket: "new3", items: ["A", "B"], at: new)
        let neighbours = index.neighbours(of: "A")
        #expect(neighbours.prefix(2).map(\.productID) == ["B", "C"])
        #expect(neighbours.allSatisfy { $0.score.isFinite })
        #expect(neighbours.dropFirst(2).allSatisfy { $0.score < 1e-6 }, "the 2011 basket weighs e^−49 of a 2046 one")
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
