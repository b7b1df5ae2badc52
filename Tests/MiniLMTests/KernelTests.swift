import Foundation
import Testing

@testable import MiniLM

@Suite("Numeric kernels and file formats")
struct KernelTests {
    @Test("The vectorizable erf stays within 1e-6 of the C library's")
    func erfMatchesLibrary() {
        var worst: Float = 0
        for i in -6000...6000 {
            let x = Float(i) / 1000
            worst = max(worst, abs(VectorKernels.erf(x) - Foundation.erf(x)))
        }
        #expect(worst < 1e-6)
    }

    @Test("The softmax exp has relative error below 1e-6 on [-87, 0] and is 0 below")
    func expMatchesLibrary() {
        var worst: Float = 0
        for i in 0...87_000 {
            let x = -Float(i) / 1000
            let reference = Foundation.exp(x)
            worst = max(worst, abs(VectorKernels.expNonPositive(x) - reference) / reference)
        }
        #expect(worst < 1e-6)
        #expect(VectorKernels.expNonPositive(-200) == 0)
        #expect(VectorKernels.expNonPositive(0) == 1)
    }

    @Test("Half-precision conversion is exact for normals, subnormals, zero and infinities")
    func halfConversion() {
        #expect(SafetensorsFile.floatFromHalf(0x3C00) == 1)
        #expect(SafetensorsFile.floatFromHalf(0xC000) == -2)
        #expect(SafetensorsFile.floatFromHalf(0x0001) == Float(5.9604645e-8))
        #expect(SafetensorsFile.floatFromHalf(0x7BFF) == 65504)
        #expect(SafetensorsFile.floatFromHalf(0x8000) == 0)
        #expect(SafetensorsFile.floatFromHalf(0x7C00) == .infinity)
        #expect(SafetensorsFile.floatFromHalf(0x7E00).isNaN)
    }

    @Test("SHA-256 of the FIPS test vectors")
    func sha256() {
        func digest(_ text: String) -> String {
            Array(text.utf8).withUnsafeBytes { SHA256Digest.hex(of: $0) }
        }
        #expect(digest("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(digest("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(digest("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test("The configuration decodes Hugging Face keys and rejects other activations")
    func configuration() throws {
        let configuration = try BertConfiguration(contentsOf: Fixtures.crossEncoderDirectory.appendingPathComponent("config.json"))
        #expect(configuration.hiddenSize == 384)
        #expect(configuration.numHiddenLayers == 6)
        #expect(configuration.headSize == 32)
        #expect(configuration.numLabels == 1)
        #expect(configuration.layerNormEps == 1e-12)
        var other = configuration
        other.hiddenAct = "relu"
        #expect(throws: MiniLMError.self) { try other.validate(file: "config.json") }
    }

    @Test("A missing model directory is an error naming the file, not a crash")
    func missingDirectory() {
        #expect(throws: MiniLMError.self) {
            try CrossEncoder(modelDirectory: URL(fileURLWithPath: "/nonexistent/model"))
        }
    }
}
