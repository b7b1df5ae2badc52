import Support

/// The text of an API key, `hr_<id>_<secret>`: a public id (12 hex digits, shown by
/// `hybridrank keys list` and in logs) and a secret (64 hex digits, 256 random bits).
///
/// Only the SHA-256 of the whole token is stored. A fast hash is enough here, unlike for
/// passwords: the secret is 256 bits from the system's cryptographic generator, so nobody can
/// guess inputs to test against a leaked digest, and a slow hash (bcrypt, Argon2) would only add
/// its cost to every request. The id lets a request find its one candidate row without
/// comparing against every key; the digests are then compared in constant time.
public struct APIKeyToken: Sendable, Equatable {
    public static let prefix = "hr_"
    static let idLength = 12
    static let secretLength = 64

    public var id: String
    public var secret: String

    /// The whole token as a client sends it.
    public var text: String { Self.prefix + id + "_" + secret }

    /// A new token from the system's cryptographically secure generator (`getrandom` on Linux).
    public static func generate() -> APIKeyToken {
        var generator = SystemRandomNumberGenerator()
        return APIKeyToken(id: randomHex(6, using: &generator), secret: randomHex(32, using: &generator))
    }

    /// Splits a presented token; nil when it does not have the shape of one (a typo, another
    /// service's key), which is answered as an unknown key.
    public init?(parsing text: some StringProtocol) {
        let utf8 = Array(text.utf8)
        let prefix = Array(Self.prefix.utf8)
        guard utf8.count == prefix.count + Self.idLength + 1 + Self.secretLength,
            utf8.starts(with: prefix), utf8[prefix.count + Self.idLength] == UInt8(ascii: "_")
        else { return nil }
        let id = utf8[prefix.count..<(prefix.count + Self.idLength)]
        let secret = utf8[(prefix.count + Self.idLength + 1)...]
        guard id.allSatisfy(Self.isHexDigit), secret.allSatisfy(Self.isHexDigit) else { return nil }
        self.id = String(decoding: id, as: UTF8.self)
        self.secret = String(decoding: secret, as: UTF8.self)
    }

    init(id: String, secret: String) {
        self.id = id
        self.secret = secret
    }

    /// SHA-256 of the whole token, 64 lowercase hex digits: what the database stores.
    public var digest: String {
        Array(text.utf8).withUnsafeBytes { SHA256.hex(of: $0) }
    }

    /// Compares two digests in time that depends only on their lengths, so response timing
    /// tells an attacker nothing about how much of a guess was right.
    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for index in x.indices { difference |= x[index] ^ y[index] }
        return difference == 0
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
    }

    private static func randomHex(_ byteCount: Int, using generator: inout SystemRandomNumberGenerator) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(byteCount * 2)
        for _ in 0..<byteCount {
            let byte = UInt8.random(in: 0...255, using: &generator)
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
