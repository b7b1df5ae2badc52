import Candidates
import Domain
import Foundation
import Testing
import TestSupport

/// `CoPurchaseSource` on hand-made histories with known answers.
@Suite struct CoPurchaseSourceTests {
    static let now = TestFixtures.day(10)

    @Test func repeatWeightsDecayWithAge() {
        let history = [TestFixtures.purchase("u", "X", basket: "b1", day: 10), TestFixtures.purchase("u", "Y", basket: "b2", day: 0)]
        let weights = CoPurchaseSource.decayedPurchases(history, halfLifeDays: 10, now: Self.now)
        #expect(abs((weights["X"] ?? 0) - 1) < 1e-6)
        #expect(abs((weights["Y"] ?? 0) - 0.5) < 1e-6)  // one half-life old
    }

    @Test func basketAffinityFavoursWhatWentWithTheCartLastTime() {
        // Basket b1 held cart item A with X; basket b2 held Y alone; same day, same weight without affinity.
        let history = [
            TestFixtures.purchase("u", "A", basket: "b1", day: 10), TestFixtures.purchase("u", "X", basket: "b1", day: 10),
            TestFixtures.purchase("u", "Y", basket: "b2", day: 10),
        ]
        let plain = CoPurchaseSource.decayedPurchases(history, halfLifeDays: 10, now: Self.now, cart: ["A", "B"])
        #expect(plain["X"] == plain["Y"])
        let affine = CoPurchaseSource.decayedPurchases(history, halfLifeDays: 10, now: Self.now, cart: ["A", "B"], basketAffinity: 4)
        // X's basket shared 1 of the 2 cart items: 1 + 4 × 1/2 = 3.
        #expect(abs((affine["X"] ?? 0) - 3) < 1e-6)
        #expect(abs((affine["Y"] ?? 0) - 1) < 1e-6)
    }

    @Test func theCartListMixesBasketsCustomersAndRepeatsAndNeverProposesTheCart() {
        // Baskets: {A,B} twice; customer c2 bought A and, another day, C.
        let events = [
            TestFixtures.purchase("c1", "A", basket: "1", day: 0), TestFixtures.purchase("c1", "B", basket: "1", day: 0),
            TestFixtures.purchase("c3", "A", basket: "3", day: 0), TestFixtures.purchase("c3", "B", basket: "3", day: 0),
            TestFixtures.purchase("c2", "A", basket: "2", day: 0), TestFixtures.purchase("c2", "C", basket: "4", day: 5),
        ]
        let baskets = CoPurchaseIndex(configuration: .init(neighboursPerItem: 10))
        baskets.rebuild(from: events, groupKey: \.basketID)
        let customers = CoPurchaseIndex(configuration: .init(neighboursPerItem: 10))
        customers.rebuild(from: events, groupKey: \.userID)
        let request = RecommendationRequest(widget: .cart, userID: "shopper", cartItems: ["A"], filter: .none)
        let history = [TestFixtures.purchase("shopper", "D", basket: "old", day: 9)]
        let context = ShopperContext(request: request, history: history, now: Self.now)

        let basketsOnly = CoPurchaseSource(
            basketIndex: baskets, customerIndex: customers, configuration: .init(repeatWeight: 0, cartCustomerWeight: 0))
        #expect(basketsOnly.candidates(for: context, limit: 10).map(\.productID) == ["B"])

        let withCustomers = CoPurchaseSource(
            basketIndex: baskets, customerIndex: customers, configuration: .init(repeatWeight: 0, cartCustomerWeight: 0.3))
        let mixed = withCustomers.candidates(for: context, limit: 10).map(\.productID)
        #expect(mixed.first == "B")
        #expect(mixed.contains("C"))

        let withRepeats = CoPurchaseSource(
            basketIndex: baskets, customerIndex: customers, configuration: .init(repeatWeight: 0.4, cartCustomerWeight: 0.3))
        let all = withRepeats.candidates(for: context, limit: 10).map(\.productID)
        #expect(Set(all) == ["B", "C", "D"])
        #expect(!all.contains("A"))
    }

    /// The homepage mixes the customer index with the EASE weights by `homepageEASEWeight`:
    /// customers {A,B} ×2 and {A,C}; a shopper who bought B. Cosine links B only to A; EASE
    /// (λ 1, `EASEIndexTests`) too, and C's weight from B is negative — so neither proposes C, and
    /// with the EASE share the list is EASE's alone.
    @Test func theHomepageMixesTheCustomerIndexWithEASE() async throws {
        let events = [("u1", ["A", "B"]), ("u2", ["A", "B"]), ("u3", ["A", "C"])].flatMap { user, items in
            items.map { TestFixtures.purchase(user, $0, basket: user, day: 0) }
        }
        let customers = CoPurchaseIndex(configuration: .init(neighboursPerItem: 10))
        customers.rebuild(from: events, groupKey: \.userID)
        let ease = EASEIndex(configuration: .init(lambda: 1, maxProducts: 10, neighboursPerItem: 10))
        ease.rebuild(from: events, groupKey: \.userID)
        let home = ShopperContext(
            request: RecommendationRequest(widget: .homepage, userID: "s", filter: .none),
            history: [TestFixtures.purchase("s", "B", basket: "9", day: 9)], now: Self.now)
        let cosineOnly = CoPurchaseSource(basketIndex: customers, customerIndex: customers, customerEASE: ease)
        let easeOnly = CoPurchaseSource(
            basketIndex: customers, customerIndex: customers, customerEASE: ease, configuration: .init(homepageEASEWeight: 1))
        let plain = try await cosineOnly.candidates(for: [home], limit: 5)[0]
        let learned = try await easeOnly.candidates(for: [home], limit: 5)[0]
        #expect(plain.map(\.productID) == ["A"])
        #expect(learned.map(\.productID) == ["A"])
        // The seed is one purchase a day old (30-day half-life). Mixed, each index's scores are
        // divided by their list's max, so A scores 1; alone, the customer index's raw score stays.
        #expect(abs(learned[0].rawScore - 1) < 1e-5)
        #expect(abs(plain[0].rawScore - customers.neighbours(of: "B")[0].score * Float(exp(-log(2.0) / 30))) < 1e-5)
    }
}
