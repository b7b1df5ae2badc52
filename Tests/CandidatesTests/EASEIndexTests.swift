@testable import Candidates
import Domain
import Foundation
import Testing
import TestSupport

@Suite struct EASEIndexTests {
    /// Customers: u1 {A, B}, u2 {A, B}, u3 {A, C}; λ = 1, so G + λI = [[4,2,1],[2,3,0],[1,0,2]] and
    /// B = −P/diag(P) with P its inverse: B_AB = 4/7, B_AC = 3/8, B_BA = 2/3, B_BC = −1/4,
    /// B_CA = 1/2, B_CB = −2/7 (numpy).
    static func events() -> [Interaction] {
        [("u1", ["A", "B"]), ("u2", ["A", "B"]), ("u3", ["A", "C"])].flatMap { user, items in
            items.map { TestFixtures.purchase(user, $0, basket: user, day: 0) }
        }
    }

    @Test func weightsAreTheClosedFormsPositiveEntries() throws {
        let index = EASEIndex(configuration: .init(lambda: 1, maxProducts: 10, neighboursPerItem: 10))
        #expect(index.rebuild(from: Self.events(), groupKey: \.userID))
        #expect(index.productCount == 3)
        let a = index.neighbours(of: "A")
        #expect(a.map(\.productID) == ["B", "C"])
        #expect(abs(a[0].weight - 4.0 / 7.0) < 1e-5)
        #expect(abs(a[1].weight - 3.0 / 8.0) < 1e-5)
        // B_BC and B_CB are negative: not kept.
        #expect(index.neighbours(of: "B").map(\.productID) == ["A"])
        #expect(abs(index.neighbours(of: "B")[0].weight - 2.0 / 3.0) < 1e-5)
        #expect(index.neighbours(of: "C").map(\.productID) == ["A"])
    }

    @Test func scoresSumTheSeedsWeightedRows() throws {
        let index = EASEIndex(configuration: .init(lambda: 1, maxProducts: 10, neighboursPerItem: 10))
        index.rebuild(from: Self.events(), groupKey: \.userID)
        let scores = index.scores(seeds: [(productID: "B", weight: 1), (productID: "C", weight: 2), (productID: "Z", weight: 5)])
        #expect(scores.count == 1)
        let a: Float = try #require(scores["A"])
        let expected: Float = 2.0 / 3.0 + 2 * 0.5
        #expect(abs(a - expected) < 1e-5)
    }

    /// Only the products with the most customers are modelled: with two, C (one customer) drops
    /// out and the model is fitted on A and B alone (G + I = [[4,2],[2,3]]: B_AB = 1/2, B_BA = 2/3).
    @Test func modelsTheProductsWithTheMostCustomers() throws {
        let index = EASEIndex(configuration: .init(lambda: 1, maxProducts: 2, neighboursPerItem: 10))
        index.rebuild(from: Self.events(), groupKey: \.userID)
        #expect(index.productCount == 2)
        #expect(index.neighbours(of: "C").isEmpty)
        #expect(index.neighbours(of: "A").map(\.productID) == ["B"])
        #expect(abs(index.neighbours(of: "A")[0].weight - 0.5) < 1e-5)
        #expect(abs(index.neighbours(of: "B")[0].weight - 2.0 / 3.0) < 1e-5)
    }

    @Test func anEmptyHistoryGivesNoWeights() {
        let index = EASEIndex()
        #expect(index.rebuild(from: [], groupKey: \.userID))
        #expect(index.productCount == 0)
        #expect(index.scores(seeds: [(productID: "A", weight: 1)]).isEmpty)
    }

    /// 150 rows: more than two of the factorisation's 64-wide blocks, so the `ssyrk`, `sgemm` and
    /// `strsm` updates all run. A·A⁻¹ must be the identity.
    @Test func theBlockedInverseInvertsAPositiveDefiniteMatrix() {
        let n = 150
        var generator = SplitMix64(seed: 7)
        var m = [Float](repeating: 0, count: n * n)
        for i in 0..<(n * n) { m[i] = Float(generator.next() % 1000) / 1000 - 0.5 }
        // A = MᵀM + n·I: symmetric positive definite and well conditioned.
        var a = [Float](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0..<n {
                var sum: Float = 0
                for k in 0..<n { sum += m[k * n + i] * m[k * n + j] }
                a[i * n + j] = sum + (i == j ? Float(n) : 0)
            }
        }
        var inverse = a
        #expect(SymmetricInverse.invertPositiveDefinite(&inverse, n: n))
        var worst: Float = 0
        for i in 0..<n {
            for j in 0..<n {
                var sum: Float = 0
                for k in 0..<n { sum += a[i * n + k] * inverse[k * n + j] }
                worst = max(worst, abs(sum - (i == j ? 1 : 0)))
            }
        }
        #expect(worst < 1e-4)
    }

    @Test func aMatrixThatIsNotPositiveDefiniteIsRefused() {
        var a: [Float] = [1, 2, 2, 1]  // eigenvalues 3 and −1
        #expect(!SymmetricInverse.invertPositiveDefinite(&a, n: 2))
    }
}
