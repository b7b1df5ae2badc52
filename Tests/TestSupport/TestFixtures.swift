import Domain
import Foundation

/// Small hand-made data shared by the tests.
public enum TestFixtures {
    public static let t0 = Date(timeIntervalSince1970: 1_300_000_000)

    public static func day(_ n: Double) -> Date { t0.addingTimeInterval(n * 86_400) }

    public static func purchase(_ user: String, _ product: String, basket: String, day d: Double) -> Interaction {
        Interaction(userID: user, productID: product, type: .purchase, basketID: basket, occurredAt: day(d))
    }

    /// Deterministic pseudo-random unit vectors.
    public static func randomUnitVectors(count: Int, dimension: Int, seed: UInt64) -> [[Float]] {
        var state = seed | 1
        func next() -> Float {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return Float(Double(state >> 11) / Double(1 << 53)) * 2 - 1
        }
        return (0..<count).map { _ in
            var v = (0..<dimension).map { _ in next() }
            let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            for i in v.indices { v[i] /= norm }
            return v
        }
    }
}
