/// SHA-256 (FIPS 180-4), written once for the three things that need it: model files are named
/// by their digest in `modelVersion` (a stored embedding or logit traces to the exact weights),
/// API keys are stored as digests (`APIKeyToken`), and the evaluation protocol picks task-C
/// baskets and hidden items by `sha256("seed|…")`, which must match Python's `hashlib` exactly.
/// Here because the package has no crypto dependency.
public enum SHA256 {
    private static let roundConstants: [UInt32] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ]

    /// The digest of `bytes` as 64 lowercase hex digits.
    /// - Complexity: O(n).
    public static func hex(of bytes: UnsafeRawBufferPointer) -> String {
        let words = digest(of: bytes)
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for word in words {
            for shift in stride(from: 28, through: 0, by: -4) { out.append(digits[Int((word >> UInt32(shift)) & 0xF)]) }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The digest of a string's UTF-8 bytes as 64 lowercase hex digits.
    public static func hex(_ text: String) -> String {
        Array(text.utf8).withUnsafeBytes { hex(of: $0) }
    }

    /// `int(sha256(text), 16) % modulus`, by long division over the 256-bit big-endian number.
    public static func remainder(_ text: String, modulus: Int) -> Int {
        var r: UInt64 = 0
        let m = UInt64(modulus)
        for word in Array(text.utf8).withUnsafeBytes({ digest(of: $0) }) {
            r = ((r << 32) | UInt64(word)) % m
        }
        return Int(r)
    }

    /// The digest of `bytes` as its 8 big-endian words.
    public static func digest(of bytes: UnsafeRawBufferPointer) -> [UInt32] {
        var state: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) = (
            0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19
        )
        let count = bytes.count
        let fullBlocks = count / 64
        var schedule = [UInt32](repeating: 0, count: 64)
        roundConstants.withUnsafeBufferPointer { k in
            schedule.withUnsafeMutableBufferPointer { w in
                for block in 0..<fullBlocks {
                    compress(UnsafeRawPointer(bytes.baseAddress! + block * 64), &state, k, w)
                }
                // Padding: 0x80, zeros, then the bit length big-endian, in one or two final blocks.
                var tail = [UInt8](repeating: 0, count: 128)
                let remaining = count - fullBlocks * 64
                for i in 0..<remaining { tail[i] = bytes[fullBlocks * 64 + i] }
                tail[remaining] = 0x80
                let tailBlocks = remaining + 9 <= 64 ? 1 : 2
                let bitLength = UInt64(count) &* 8
                for i in 0..<8 { tail[tailBlocks * 64 - 1 - i] = UInt8(truncatingIfNeeded: bitLength >> (8 * UInt64(i))) }
                tail.withUnsafeBytes { t in
                    for block in 0..<tailBlocks { compress(t.baseAddress! + block * 64, &state, k, w) }
                }
            }
        }
        return [state.0, state.1, state.2, state.3, state.4, state.5, state.6, state.7]
    }

    @inline(__always)
    private static func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x >> n) | (x << (32 - n)) }

    private static func compress(
        _ block: UnsafeRawPointer, _ state: inout (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32),
        _ k: UnsafeBufferPointer<UInt32>, _ w: UnsafeMutableBufferPointer<UInt32>
    ) {
        for i in 0..<16 { w[i] = UInt32(bigEndian: block.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)) }
        for i in 16..<64 {
            let s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3)
            let s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10)
            w[i] = w[i - 16] &+ s0 &+ w[i - 7] &+ s1
        }
        var (a, b, c, d, e, f, g, h) = state
        for i in 0..<64 {
            let s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)
            let ch = (e & f) ^ (~e & g)
            let t1 = h &+ s1 &+ ch &+ k[i] &+ w[i]
            let s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)
            let maj = (a & b) ^ (a & c) ^ (b & c)
            let t2 = s0 &+ maj
            h = g; g = f; f = e; e = d &+ t1
            d = c; c = b; b = a; a = t1 &+ t2
        }
        state = (state.0 &+ a, state.1 &+ b, state.2 &+ c, state.3 &+ d, state.4 &+ e, state.5 &+ f, state.6 &+ g, state.7 &+ h)
    }
}
