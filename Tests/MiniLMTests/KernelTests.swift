import CEncoderKernels
import Domain
import Foundation
import TestSupport
import Testing

@testable import MiniLM

@Suite("Numeric kernels and file formats", .ownThreads)
struct KernelTests {
    @Test("GELU stays within 1e-6 of 0.5·x·(1 + erf(x/√2)) computed in Double, tail included")
    func geluMatchesReference() {
        var values = (-6000...6000).map { Float($0) / 1000 } + [-40, 40, 0]  // 12,004: not a multiple of 8
        let inputs = values
        values.withUnsafeMutableBufferPointer { hr_encoder_gelu($0.baseAddress!, $0.count) }
        var worst = 0.0
        for (x, y) in zip(inputs, values) {
            let reference = 0.5 * Double(x) * (1 + Foundation.erf(Double(x) / 2.0.squareRoot()))
            worst = max(worst, abs(Double(y) - reference))
        }
        #expect(worst < 1e-6)
    }

    @Test("LayerNorm and the bias/residual prefill match a Double reference", arguments: [384, 20])
    func layerNormMatchesReference(columns: Int) {
        var random = SplitMix64(seed: 7)
        let rows = 3
        let x = (0..<rows * columns).map { _ in random.float() * 4 - 2 }
        let bias = (0..<columns).map { _ in random.float() }
        let gamma = (0..<columns).map { _ in random.float() + 0.5 }
        let beta = (0..<columns).map { _ in random.float() - 0.5 }
        var prefilled = [Float](repeating: 0, count: rows * columns)
        prefilled.withUnsafeMutableBufferPointer { hr_encoder_prefill($0.baseAddress!, columns, bias, x, columns, rows, columns) }
        #expect(prefilled[columns + 1] == bias[1] + x[columns + 1])
        var output = [Float](repeating: 0, count: rows * columns)
        output.withUnsafeMutableBufferPointer {
            hr_encoder_layer_norm(prefilled, $0.baseAddress!, gamma, beta, rows, columns, 1e-12)
        }
        var worst = 0.0
        for r in 0..<rows {
            let row = prefilled[(r * columns)..<((r + 1) * columns)].map(Double.init)
            let mean = row.reduce(0, +) / Double(columns)
            let variance = row.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(columns)
            for c in 0..<columns {
                let reference = (row[c] - mean) / (variance + 1e-12).squareRoot() * Double(gamma[c]) + Double(beta[c])
                worst = max(worst, abs(Double(output[r * columns + c]) - reference))
            }
        }
        #expect(worst < 1e-5)
    }

    @Test(
        "Attention matches softmax(QKᵀ/√d)V in Double, every head, all rows or [CLS] only",
        arguments: [(37, 32, false), (37, 32, true), (8, 32, false), (1, 32, false), (70, 32, false), (13, 12, false), (5, 64, true)])
    func attentionMatchesReference(length: Int, headSize: Int, clsOnly: Bool) {
        var random = SplitMix64(seed: UInt64(length * 131 + headSize))
        let heads = 3, H = heads * headSize, stride = 3 * H
        let qkv = (0..<length * stride).map { _ in random.float() * 4 - 2 }
        let rows = clsOnly ? 1 : length
        var context = [Float](repeating: .nan, count: rows * H)
        var scratch = [Float](repeating: .nan, count: hr_encoder_attention_scratch(length, H))
        let scale = 1 / Float(headSize).squareRoot()
        qkv.withUnsafeBufferPointer { m in
            let base = m.baseAddress!
            hr_encoder_attention(
                base, stride, base + H, base + 2 * H, stride, length, rows, heads, headSize, scale, &scratch, &context, H)
        }
        var worst = 0.0
        for h in 0..<heads {
            for i in 0..<rows {
                var scores = (0..<length).map { j in
                    (0..<headSize).reduce(0.0) { $0 + Double(qkv[i * stride + h * headSize + $1]) * Double(qkv[j * stride + H + h * headSize + $1]) } * Double(scale)
                }
                let maximum = scores.max()!
                scores = scores.map { Foundation.exp($0 - maximum) }
                let sum = scores.reduce(0, +)
                for c in 0..<headSize {
                    let reference = (0..<length).reduce(0.0) { $0 + scores[$1] / sum * Double(qkv[$1 * stride + 2 * H + h * headSize + c]) }
                    worst = max(worst, abs(Double(context[i * H + h * headSize + c]) - reference))
                }
            }
        }
        #expect(worst < 1e-5)
    }

    @Test("A score 100 below the row maximum gets weight 0, not a NaN")
    func attentionUnderflow() {
        // One head of size 8, two keys: q·k₀ = 0 and q·k₁ = 800 → after scaling by 1/8 a gap of 100.
        let q: [Float] = [10, 10, 10, 10, 10, 10, 10, 10]
        let rows: [[Float]] = [q + [0, 0, 0, 0, 0, 0, 0, 0] + [1, 1, 1, 1, 1, 1, 1, 1], q + [10, 10, 10, 10, 10, 10, 10, 10] + [2, 2, 2, 2, 2, 2, 2, 2]]
        let qkv = rows.flatMap { $0 }
        var context = [Float](repeating: .nan, count: 8)
        var scratch = [Float](repeating: .nan, count: hr_encoder_attention_scratch(2, 8))
        qkv.withUnsafeBufferPointer { m in
            let base = m.baseAddress!
            hr_encoder_attention(base, 24, base + 8, base + 16, 24, 2, 1, 1, 8, 1.0 / 8, &scratch, &context, 8)
        }
        #expect(context == [Float](repeating: 2, count: 8))
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
