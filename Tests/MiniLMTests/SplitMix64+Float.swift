import Domain

extension SplitMix64 {
    /// Uniform in [0, 1) with 24 bits: kernel test inputs.
    mutating func float() -> Float { Float(next() >> 40) / Float(1 << 24) }
}
