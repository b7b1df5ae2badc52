import Candidates
import Domain
import Foundation
import Testing

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

    @Test func preferenceWeightsFollowTheIssue() {
        let now = TestFixtures.day(30)
        let event = Interaction(userID: "u", productID: "p", type: .cartAdd, occurredAt: TestFixtures.day(0))
        #expect(abs(PreferenceVector.weight(of: event, now: now) - 3 * Float(exp(-1.0))) < 1e-6)
        let removal = Interaction(userID: "u", productID: "p", type: .cartRemove, occurredAt: now)
        #expect(PreferenceVector.weight(of: removal, now: now) == -1)
    }
}
