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

    /// A 180-day half-life squares a scale of e^((t − 2010)/260 days): past `Float` in 2041. The
    /// epoch moves with the purchases, at a rebuild and on `add`, and the cosines stay those of
    /// the decayed counts.
    @Test(arguments: [2011, 2026, 2045, 2100])
    func cosinesStayFiniteAndRightInAnyYear(year: Int) throws {
        let start = try #require(Calendar(identifier: .gregorian).date(from: DateComponents(
            timeZone: TimeZone(identifier: "UTC"), year: year, month: 6, day: 1)))
        let baskets = [("1", ["A", "B", "C"]), ("2", ["A", "B"]), ("3", ["A", "D"]), ("4", ["B", "C"])]
        let configuration = CoPurchaseIndex.Configuration(normalization: .cosine, neighboursPerItem: 8, halfLifeDays: 180)
        let rebuilt = CoPurchaseIndex(configuration: configuration)
        rebuilt.rebuild(
            from: baskets.flatMap { basket, items in
                items.map { Interaction(userID: "u" + basket, productID: $0, type: .purchase, basketID: basket, occurredAt: start) }
            },
            groupKey: \.basketID)
        let added = CoPurchaseIndex(configuration: configuration)
        for (basket, items) in baskets { added.add(basket: basket, items: items, at: start) }
        for index in [rebuilt, added] {
            // As in cosineDividesBySupport: cos(A,B) = 2/3, cos(A,D) = 1/√3, cos(A,C) = 1/√6.
            let neighbours = index.neighbours(of: "A")
            #expect(neighbours.map(\.productID) == ["B", "D", "C"], "year \(year)")
            #expect(abs((neighbours.first?.score ?? 0) - 2.0 / 3.0) < 1e-5, "year \(year)")
            #expect(abs((neighbours.last?.score ?? 0) - 1 / Float(6).squareRoot()) < 1e-5, "year \(year)")
        }
    }

    /// `C_ij / (n_i^(1−α) · n_j^α)`: above α = 0.5 a popular neighbour costs more than a rare one.
    /// From A (n_A = 3): B (C 2, n 3), D (C 1, n 1), C (C 1, n 2).
    @Test func asymmetricCosineDiscountsPopularNeighbours() {
        let leaning = Self.index(.asymmetric(alpha: 0.6)).neighbours(of: "A")
        #expect(leaning.map(\.productID) == ["B", "D", "C"])
        #expect(abs(leaning[0].score - 2.0 / 3.0) < 1e-5)
        #expect(abs(leaning[1].score - 1 / pow(Float(3), 0.4)) < 1e-5)
        #expect(abs(leaning[2].score - 1 / (pow(Float(3), 0.4) * pow(Float(2), 0.6))) < 1e-5)
        // At α = 1 the rare D, bought only with A, leads.
        #expect(Self.index(.asymmetric(alpha: 1)).neighbours(of: "A").map(\.productID) == ["D", "B", "C"])
    }

    /// The asymmetric cosine is not scale-free (its scores carry the decay's scale once), so the
    /// served customers' configuration is checked in every year too: the same order, finite scores
    /// whose ratios are those of the undecayed counts.
    @Test(arguments: [2011, 2026, 2045, 2100])
    func theCustomersNeighboursAreTheSameInAnyYear(year: Int) throws {
        let start = try #require(Calendar(identifier: .gregorian).date(from: DateComponents(
            timeZone: TimeZone(identifier: "UTC"), year: year, month: 6, day: 1)))
        let index = CoPurchaseIndex(configuration: .customers)
        for (customer, items) in [("1", ["A", "B", "C"]), ("2", ["A", "B"]), ("3", ["A", "D"]), ("4", ["B", "C"])] {
            index.add(group: customer, items: items, at: start)
        }
        let neighbours = index.neighbours(of: "A")
        let expected = Self.index(CoPurchaseIndex.Configuration.customers.normalization).neighbours(of: "A")
        #expect(neighbours.map(\.productID) == expected.map(\.productID), "year \(year)")
        #expect(neighbours.allSatisfy { $0.score.isFinite && $0.score > 0 }, "year \(year)")
        let exponent = CoPurchaseIndex.Configuration.customers.exponent
        for (served, plain) in zip(neighbours, expected) {
            #expect(abs(served.score / neighbours[0].score - pow(plain.score / expected[0].score, exponent)) < 1e-4, "year \(year)")
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
        #expect(neighbours.dropFirst(2).allSatisfy { $0.score < 1e-6 }, "the 2011 basket weighs e^−98 of a 2046 one")
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

    /// A replica that applied purchases one by one must serve what a replica rebuilt from the same
    /// purchases serves. A purchase changes the bought product's support, and with it its score in
    /// the neighbour list of every product it was ever bought with, not only of those in the same
    /// group; lists read in between (and so cached) must not keep the old support.
    @Test(arguments: [CoPurchaseIndex.Normalization.cosine, .asymmetric(alpha: 0.6), .lift(shrinkage: 1)])
    func purchasesAppliedOneByOneServeWhatARebuildServes(normalization: CoPurchaseIndex.Normalization) {
        let configuration = CoPurchaseIndex.Configuration(normalization: normalization, neighboursPerItem: 100, halfLifeDays: 90)
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        let products = (0..<12).map { "p\($0)" }
        let events = (0..<300).map { step in
            // Low-numbered products sell more, so supports differ and keep changing.
            let product = products[min(next(12), next(12))]
            return TestFixtures.purchase("u\(next(25))", product, basket: "b\(step)", day: Double(step) * 0.7)
        }
        let live = CoPurchaseIndex(configuration: configuration)
        for event in events {
            live.add(group: event.userID, items: [event.productID], at: event.occurredAt)
            for product in products { _ = live.neighbours(of: product) }  // every list cached
        }
        let rebuilt = CoPurchaseIndex(configuration: configuration)
        rebuilt.rebuild(from: events, groupKey: { $0.userID })
        for product in products {
            let served = Dictionary(uniqueKeysWithValues: live.neighbours(of: product).map { ($0.productID, $0.score) })
            let exact = Dictionary(uniqueKeysWithValues: rebuilt.neighbours(of: product).map { ($0.productID, $0.score) })
            #expect(Set(served.keys) == Set(exact.keys), "\(product)")
            for (neighbour, score) in exact {
                let difference = abs((served[neighbour] ?? 0) - score)
                #expect(difference <= 1e-4 * max(1, abs(score)), "\(product) → \(neighbour): \(served[neighbour] ?? 0) vs \(score)")
            }
        }
    }

    @Test func seedScoresSumOverSeeds() {
        let index = Self.index()
        let scores = index.scores(seeds: [("A", 1), ("C", 1)])
        // B: cos(A,B) + cos(C,B) = 2/3 + 2/√6.
        let expected = 2.0 / 3.0 + 2 / Float(6).squareRoot()
        #expect(abs((scores["B"] ?? 0) - expected) < 1e-5)
    }
}
