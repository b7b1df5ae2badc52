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

    /// 32-bit FNV-1a over the UTF-16 code units of `text`.
    /// - Complexity: O(n) in the number of UTF-16 code units.
    @inlinable
    public static func fnv32a(_ text: String) -> UInt32 {
        var hash: UInt32 = 0x811c_9dc5
        for unit in text.utf16 {
            hash ^= UInt32(unit)
            hash = hash &* 16_777_619
        }
        return hash
    }

    /// GrowthBook's `hash(seed, value, version)`: a number in `[0, 1)`, or `nil` for an
    /// unsupported version (the caller then treats the unit as not in the experiment).
    public static func hash(seed: String, value: String, version: Int) -> Double? {
        switch version {
        case 1:
            return Double(fnv32a(value + seed) % 1000) / 1000
        case 2:
            let inner = fnv32a(seed + value)
            return Double(fnv32a(String(inner)) % 10000) / 10000
        default:
            return nil
        }
    }
}
