/// GrowthBook-compatible hashing of a unit id into `[0, 1)`.
///
/// Assignment must agree with every GrowthBook SDK (so analysts can reproduce a bucket in any
/// language), which fixes the exact algorithm: 32-bit FNV-1a over UTF-16 code units (what
/// JavaScript's `charCodeAt` returns), then
/// - version 1: `fnv32a(value + seed) % 1000 / 1000` (the original, slightly biased scheme);
/// - version 2: `fnv32a(String(fnv32a(seed + value))) % 10000 / 10000` (unbiased).
///
/// A pure function: the same inputs give the same bucket on every replica and after restarts.
public enum BucketHasher {
    /// The hash versions this implementation supports.
    public static let supportedVersions: ClosedRange<Int> = 1...2

    /// FNV-1a's offset basis and prime (32-bit).
    @usableFromInline static let offsetBasis: UInt32 = 0x811c_9dc5
    @usableFromInline static let prime: UInt32 = 16_777_619

    /// 32-bit FNV-1a over the UTF-16 code units of `text`.
    /// - Complexity: O(n) in the number of UTF-16 code units.
    @inlinable
    public static func fnv32a(_ text: String) -> UInt32 {
        continueFNV(offsetBasis, text)
    }

    /// `fnv32a(first + second)` without building the concatenation (FNV is a running hash).
    @inlinable
    public static func fnv32a(_ first: String, _ second: String) -> UInt32 {
        continueFNV(continueFNV(offsetBasis, first), second)
    }

    /// Continues an FNV-1a hash over `text`'s UTF-16 code units. ASCII text (the usual user
    /// and session ids) is hashed straight from the UTF-8 storage, where each byte is its own
    /// UTF-16 unit; anything else goes through the UTF-16 view.
    @inlinable
    static func continueFNV(_ start: UInt32, _ text: String) -> UInt32 {
        let ascii = text.utf8.withContiguousStorageIfAvailable { bytes -> UInt32? in
            var hash = start
            for byte in bytes {
                if byte >= 0x80 { return nil }
                hash ^= UInt32(byte)
                hash = hash &* prime
            }
            return hash
        }
        if let ascii, let hash = ascii { return hash }
        var hash = start
        for unit in text.utf16 {
            hash ^= UInt32(unit)
            hash = hash &* prime
        }
        return hash
    }

    /// `fnv32a(String(value))`: FNV-1a over the decimal digits of `value`, without the string.
    @inlinable
    static func fnv32aOfDecimal(_ value: UInt32) -> UInt32 {
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var rest = value
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[count] = UInt8(truncatingIfNeeded: rest % 10) &+ 0x30
                rest /= 10
                count += 1
            } while rest > 0
        }
        var hash = offsetBasis
        withUnsafeBytes(of: &digits) { buffer in
            var i = count - 1
            while i >= 0 {
                hash ^= UInt32(buffer[i])
                hash = hash &* prime
                i -= 1
            }
        }
        return hash
    }

    /// GrowthBook's `hash(seed, value, version)`: a number in `[0, 1)`, or `nil` for an
    /// unsupported version (the caller then treats the unit as not in the experiment).
    /// Allocation-free: the concatenations of the specification are hashed piecewise.
    @inlinable
    public static func hash(seed: String, value: String, version: Int) -> Double? {
        switch version {
        case 1:
            return Double(fnv32a(value, seed) % 1000) / 1000
        case 2:
            return Double(fnv32aOfDecimal(fnv32a(seed, value)) % 10000) / 10000
        default:
            return nil
        }
    }
}
