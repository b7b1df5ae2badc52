/// FNV-1a, 64 bits: a hash that is the same in every process and on every machine (Swift's
/// `Hasher` is seeded per process), for cache keys shared through Redis.
public enum StableHash {
    /// - Complexity: O(n) in the UTF-8 length.
    public static func fnv1a64(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }

    /// `fnv1a64` as 16 lowercase hex digits.
    public static func hex(_ text: String) -> String {
        let value = String(fnv1a64(text), radix: 16)
        return String(repeating: "0", count: 16 - value.count) + value
    }
}
