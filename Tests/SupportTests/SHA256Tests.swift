import Support
import Testing

struct SHA256Tests {
    @Test("SHA-256 of the FIPS test vectors, over every padding case")
    func fipsVectors() {
        #expect(SHA256.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        // 56 bytes: the length no longer fits the first block, so the padding takes a second one.
        #expect(SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256.hex(String(repeating: "a", count: 1_000)) == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }

    /// The evaluation protocol's `int(sha256(text), 16) % n` (Python), checked against values
    /// computed with Python's hashlib.
    @Test func remainderMatchesPythonsBigIntegerModulo() {
        // python3 -c 'import hashlib; print(int(hashlib.sha256(b"abc").hexdigest(), 16) % 1000003)'
        #expect(SHA256.remainder("abc", modulus: 1_000_003) == 127_342)
        #expect(SHA256.remainder("abc", modulus: 1) == 0)
    }
}
