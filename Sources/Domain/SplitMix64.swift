/// SplitMix64 (Steele, Lea and Flood, 2014): a tiny seeded generator whose sequence is fixed by
/// its seed on every machine and Swift version (the standard library's generator is neither
/// seedable nor specified).
///
/// The demo shop seeds its xoshiro256** (`SeededRandom`) from it; the shopper simulation, the
/// candidate benchmarks' synthetic data and the kernel tests draw from it directly, so the same
/// seed gives the same shop, traffic and inputs everywhere.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1), from the top 53 bits.
    public mutating func unitDouble() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }
}
