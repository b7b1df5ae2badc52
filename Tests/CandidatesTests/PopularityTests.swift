import Candidates
import Domain
import Foundation
import Testing
import TestSupport

@Suite struct PopularityTests {
    @Test func decayWeightsHalveAfterTauLn2() {
        let tau: TimeInterval = 14 * 86_400
        #expect(abs(PopularityDecay.score(count: 1, age: 0, timeConstant: tau) - 1) < 1e-12)
        #expect(abs(PopularityDecay.score(count: 2, age: tau, timeConstant: tau) - 2 * exp(-1)) < 1e-12)
        #expect(abs(PopularityDecay.score(count: 1, age: tau * log(2), timeConstant: tau) - 0.5) < 1e-12)
    }

    @Test func sortedSetIncrementsRecoverDecayedScore() {
        let decay = PopularityDecay(timeConstantDays: 10)
        let now = TestFixtures.day(30)
        let stored = decay.increment(at: TestFixtures.day(20)) + decay.increment(weight: 2, at: TestFixtures.day(30))
        #expect(abs(decay.decayed(stored: stored, now: now) - (exp(-1) + 2)) < 1e-9)
    }

    /// The default decay (τ = 14 days, epoch 2000) made increments of e^((t − 2000)/14 days): past
    /// `Double` from April 2027. The index moves its epoch with the events; scores stay right.
    @Test(arguments: [2011, 2026, 2027, 2040, 2200])
    func decayedScoresStayFiniteAndRightInAnyYear(year: Int) throws {
        let start = try #require(Calendar(identifier: .gregorian).date(from: DateComponents(
            timeZone: TimeZone(identifier: "UTC"), year: year, month: 6, day: 1)))
        let index = PopularityIndex()
        for (user, product) in [("u1", "a"), ("u2", "a"), ("u3", "a"), ("u4", "b")] {
            index.record(Interaction(userID: user, productID: product, type: .purchase, occurredAt: start), category: "c")
        }
        let now = start.addingTimeInterval(14 * 86_400)  // one τ later
        for top in [index.top(2, now: now), index.top(2, category: "c", now: now)] {
            #expect(top.map(\.productID) == ["a", "b"], "year \(year)")
            #expect(abs((top.first?.score ?? 0) - 3 * exp(-1)) < 1e-9, "year \(year)")
            #expect(abs((top.last?.score ?? 0) - exp(-1)) < 1e-9, "year \(year)")
        }
        #expect(abs(index.score(of: "b", now: now) - exp(-1)) < 1e-9)
    }

    /// Events a century apart: the epoch moves on the way, and old and new counts keep their
    /// decayed worth relative to each other.
    @Test func historySpanningTheEpochsMovesKeepsTheOrderAndTheScores() {
        let index = PopularityIndex(configuration: .init(decay: PopularityDecay(timeConstantDays: 1), firstPurchasesOnly: false))
        let early = Date(timeIntervalSince1970: 946_684_800 + 100 * 86_400)  // 100 τ after the epoch
        let late = early.addingTimeInterval(350 * 86_400)  // 450 τ after it: a step past 300
        for _ in 0..<5 { index.record(Interaction(userID: "u", productID: "old", type: .purchase, occurredAt: early)) }
        index.record(Interaction(userID: "u", productID: "new", type: .purchase, occurredAt: late))
        let top = index.top(2, now: late)
        #expect(top.map(\.productID) == ["new", "old"])
        #expect(abs(top[0].score - 1) < 1e-9)
        #expect(abs(top[1].score / (5 * exp(-350.0)) - 1) < 1e-9)
    }

    @Test func recentNewBuyersOutrankOldVolume() {
        let index = PopularityIndex(configuration: .init(decay: PopularityDecay(timeConstantDays: 7)))
        var events: [Interaction] = []
        // "old": 5 buyers 60 days ago, each buying 3 times; "new": 2 first buyers yesterday.
        for u in 0..<5 { for r in 0..<3 { events.append(TestFixtures.purchase("u\(u)", "old", basket: "b\(u)\(r)", day: Double(r))) } }
        events.append(TestFixtures.purchase("x", "new", basket: "n1", day: 59))
        events.append(TestFixtures.purchase("y", "new", basket: "n2", day: 59))
        index.rebuild(from: events, categoryOf: { _ in "" })
        let top = index.top(2, now: TestFixtures.day(60))
        #expect(top.map(\.productID) == ["new", "old"])
        // First purchases only: old = 5 · e^(−60/7)… (at day 0), repeats ignored.
        #expect(abs(top[1].score - 5 * exp(-60.0 / 7)) < 1e-9)
        // The fill lists' ids-only view keeps the same order.
        #expect(index.topIDs(2) == ["new", "old"])
        #expect(index.topIDs(1) == ["new"])
    }

    @Test func perCategoryListsOnlyThatCategory() async throws {
        let index = PopularityIndex()
        index.record(TestFixtures.purchase("u", "a", basket: "1", day: 0), category: "mugs")
        index.record(TestFixtures.purchase("u", "b", basket: "1", day: 0), category: "bags")
        let source = PopularitySource(index: index)
        let context = ShopperContext(
            request: RecommendationRequest(widget: .homepage, filter: ProductFilter(category: "bags")), now: TestFixtures.day(1))
        let lists = try await source.candidates(for: [context], limit: 5)
        #expect(lists[0].map(\.productID) == ["b"])
        #expect(index.topIDs(5, category: "mugs") == ["a"])
        #expect(index.topIDs(5, category: "shoes").isEmpty)
    }
}
