import Candidates
import Domain
import Foundation
import Testing
import TestSupport

@Suite struct SimilarUsersTests {
    @Test func neighboursAndTheirUnboughtProducts() {
        let index = SimilarUsersIndex(configuration: .init(neighbours: 2, halfLifeDays: 1_000_000))
        let data: [(String, [String])] = [
            ("alice", ["a", "b"]), ("bob", ["a", "b", "c"]), ("carol", ["a", "d"]), ("dave", ["e"]),
        ]
        for (user, items) in data { for item in items { index.record(TestFixtures.purchase(user, item, basket: user, day: 0)) } }
        let neighbours = index.neighbours(of: "alice")
        // cos(alice, bob) = 2/√6 ≈ 0.816, cos(alice, carol) = 1/2; dave shares nothing.
        #expect(neighbours.map(\.userID) == ["bob", "carol"])
        #expect(abs(neighbours[0].similarity - 2 / Float(6).squareRoot()) < 1e-4)
        let recommendations = index.recommendations(for: "alice")
        #expect(Set(recommendations.keys) == ["c", "d"])
        #expect((recommendations["c"] ?? 0) > (recommendations["d"] ?? 0))
    }

    @Test func limitedRecommendationsAreTheBestOnesAndSkipOwnPurchasesOnly() {
        let index = SimilarUsersIndex(configuration: .init(neighbours: 5, halfLifeDays: 1_000_000))
        for (user, items) in [("alice", ["a", "b"]), ("bob", ["a", "b", "c", "x"]), ("carol", ["a", "c", "y"])] {
            for item in items { index.record(TestFixtures.purchase(user, item, basket: user, day: 0)) }
        }
        // Alice only viewed "x": a view is not a purchase, so "x" stays recommendable.
        index.record(Interaction(userID: "alice", productID: "x", type: .view, occurredAt: TestFixtures.day(0)))
        let top = index.recommendations(for: "alice", limit: 2)
        let all = index.recommendations(for: "alice")
        // "c" is bought by both neighbours, so it leads; the limit keeps the best of the rest.
        #expect(top.first?.productID == "c")
        #expect(top.count == 2)
        #expect(abs(top[0].score - all["c"]!) < 1e-6)
        #expect(Set(all.keys) == ["c", "x", "y"])
        #expect(top[1].score == all.filter { $0.key != "c" }.values.max())
        // A later purchase of "c" removes it from her list at once.
        index.record(TestFixtures.purchase("alice", "c", basket: "alice", day: 1))
        #expect(!index.recommendations(for: "alice", limit: 10).map(\.productID).contains("c"))
    }

    /// The penalty divides a product's Σ similarity by its buyer count to a power: a best-seller
    /// every neighbour bought gives way to what only this shopper's closest neighbour buys.
    @Test func thePopularityPenaltyLeansAwayFromBestSellers() {
        func recommendations(penalty: Float) -> [(productID: ProductID, score: Float)] {
            let index = SimilarUsersIndex(configuration: .init(neighbours: 5, halfLifeDays: 1_000_000, popularityPenalty: penalty))
            let data: [(String, [String])] = [
                ("alice", ["a", "b"]), ("bob", ["a", "b", "niche", "hit"]), ("carol", ["a", "hit"]), ("dave", ["b", "hit"]),
                ("erin", ["hit"]), ("frank", ["hit"]),
            ]
            for (user, items) in data { for item in items { index.record(TestFixtures.purchase(user, item, basket: user, day: 0)) } }
            return index.recommendations(for: "alice", limit: 10)
        }
        let plain = recommendations(penalty: 0)
        #expect(plain.map(\.productID) == ["hit", "niche"])
        let penalised = recommendations(penalty: 1)
        #expect(penalised.map(\.productID) == ["niche", "hit"])
        // "hit" has 5 buyers: its Σ similarity divided by 5.
        let hit = plain.first { $0.productID == "hit" }!.score
        #expect(abs(penalised.first { $0.productID == "hit" }!.score - hit / 5) < 1e-5)
    }

    /// With the default half-life the weights' scale is e^((t − 2010)/130 days): its square left
    /// `Float` in mid-2025, and every similarity became NaN or 0. The epoch now moves with the
    /// events; similarities stay those of the decayed vectors in any year.
    @Test(arguments: [2011, 2025, 2026, 2041, 2100])
    func similaritiesStayFiniteAndRightInAnyYear(year: Int) throws {
        let start = try #require(Calendar(identifier: .gregorian).date(from: DateComponents(
            timeZone: TimeZone(identifier: "UTC"), year: year, month: 6, day: 1)))
        let index = SimilarUsersIndex(configuration: .homepage)  // the service's: 50 neighbours, 90-day half-life
        let data: [(String, [String])] = [("alice", ["a", "b"]), ("bob", ["a", "b", "c"]), ("carol", ["a", "d"])]
        for (user, items) in data {
            for item in items {
                index.record(Interaction(userID: user, productID: item, type: .purchase, occurredAt: start))
            }
        }
        let neighbours = index.neighbours(of: "alice")
        #expect(neighbours.map(\.userID) == ["bob", "carol"], "year \(year)")
        #expect(abs((neighbours.first?.similarity ?? 0) - 2 / Float(6).squareRoot()) < 1e-4, "year \(year)")
        #expect(abs((neighbours.last?.similarity ?? 0) - 0.5) < 1e-4, "year \(year)")
        #expect(Set(index.recommendations(for: "alice").keys) == ["c", "d"], "year \(year)")
    }

    /// Events years apart: the old ones decay to nothing relative to the new ones, whichever
    /// order they arrive in, and the epoch moving on the way changes no ranking.
    @Test func decadesOfHistoryInEitherOrderGiveTheSameNeighbours() {
        let old = Date(timeIntervalSince1970: 1_300_000_000)  // 2011
        let new = Date(timeIntervalSince1970: 1_790_000_000)  // 2026
        var events: [Interaction] = []
        // In 2011 alice shared everything with dave; in 2026 she shares with bob, a little with carol.
        for item in ["x", "y", "z"] {
            events.append(Interaction(userID: "alice", productID: item, type: .purchase, occurredAt: old))
            events.append(Interaction(userID: "dave", productID: item, type: .purchase, occurredAt: old))
        }
        for (user, items) in [("alice", ["a", "b"]), ("bob", ["a", "b", "c"]), ("carol", ["a", "d"])] {
            for item in items { events.append(Interaction(userID: user, productID: item, type: .purchase, occurredAt: new)) }
        }
        let forward = SimilarUsersIndex()
        forward.rebuild(from: events)
        let backward = SimilarUsersIndex()
        backward.rebuild(from: events.reversed())
        for index in [forward, backward] {
            let neighbours = index.neighbours(of: "alice")
            #expect(neighbours.prefix(2).map(\.userID) == ["bob", "carol"])
            #expect(abs((neighbours.first?.similarity ?? 0) - 2 / Float(6).squareRoot()) < 1e-3)
            // dave's 2011 purchases weigh e^−42 of hers from 2026: last, and near nothing.
            #expect(neighbours.dropFirst(2).allSatisfy { $0.userID == "dave" && $0.similarity < 1e-6 })
            #expect(neighbours.allSatisfy { $0.similarity.isFinite })
        }
    }

    @Test func preferenceWeightsFollowTheIssue() {
        let now = TestFixtures.day(30)
        let event = Interaction(userID: "u", productID: "p", type: .cartAdd, occurredAt: TestFixtures.day(0))
        #expect(abs(PreferenceVector.weight(of: event, now: now) - 3 * Float(exp(-1.0))) < 1e-6)
        let removal = Interaction(userID: "u", productID: "p", type: .cartRemove, occurredAt: now)
        #expect(PreferenceVector.weight(of: removal, now: now) == -1)
    }
}
