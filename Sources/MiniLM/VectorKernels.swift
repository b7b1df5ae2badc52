import Foundation

/// The element-wise parts of the encoder (everything that is not a matrix product), written as
/// plain loops over unsafe pointers so the optimizer vectorizes them. Called only from
/// `BertEncoder`'s forward pass, on buffers owned by an `EncoderWorkspace`.
enum VectorKernels {
    /// `erf(x)` for Float: the rational approximation used by Eigen/XLA (clamped to ±4, where erf is
    /// ±1 in single precision), within a few ulp of `erff` and free of branches and library calls so
    /// the GELU loop vectorizes.
    @inline(__always)
    static func erf(_ input: Float) -> Float {
        let x = Swift.min(Swift.max(input, -4), 4)
        let x2 = x * x
        var p: Float = -2.72614225801306e-10
        p = p * x2 + 2.77068142495902e-08
        p = p * x2 + -2.10102402082508e-06
        p = p * x2 + -5.69250639462346e-05
        p = p * x2 + -7.34990630326855e-04
        p = p * x2 + -2.95459980854025e-03
        p = p * x2 + -1.60960333262415e-02
        p = p * x
        var q: Float = -1.45660718464996e-05
        q = q * x2 + -2.13374055278905e-04
        q = q * x2 + -1.68282697438203e-03
        q = q * x2 + -7.37332916720468e-03
        q = q * x2 + -1.42647390514189e-02
        return p / q
    }

    /// `exp(x)` for x ≤ 0 (softmax after subtracting the row maximum): Cephes' range reduction and
    /// degree-6 polynomial, relative error about 1e-7; inputs below -87 give 0 like `expf`.
    @inline(__always)
    static func expNonPositive(_ input: Float) -> Float {
        let x = Swift.max(input, -87)
        // Round x·log2(e) to an integer n with the 1.5·2^23 trick: no float→int conversion that could trap.
        let shifted = x * 1.44269504088896341 + 12_582_912
        let n = shifted - 12_582_912
        var r = x - n * 0.693359375
        r = r - n * -2.12194440e-4
        let r2 = r * r
        var y: Float = 1.9875691500e-4
        y = y * r + 1.3981999507e-3
        y = y * r + 8.3334519073e-3
        y = y * r + 4.1665795894e-2
        y = y * r + 1.6666665459e-1
        y = y * r + 5.0000001201e-1
        y = y * r2 + r + 1
        let exponent = Int32(bitPattern: shifted.bitPattern) &- 0x4B40_0000 &+ 127
        let scale = Float(bitPattern: UInt32(bitPattern: exponent &<< 23))
        let result = y * scale
        return input < -87 ? 0 : result
    }

    /// `rows × columns` in place: `x = gelu(x + bias[column])`, exact (erf) GELU as in BERT.
    static func addBiasGELU(_ x: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>, rows: Int, columns: Int) {
        for row in 0..<rows {
            let r = x + row * columns
            for j in 0..<columns {
                let v = r[j] + bias[j]
                r[j] = 0.5 * v * (1 + erf(v * 0.70710678118654752))
            }
        }
    }

    /// `rows × columns` in place: `x += bias[column]`.
    static func addBias(_ x: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>, rows: Int, columns: Int) {
        for row in 0..<rows {
            let r = x + row * columns
            for j in 0..<columns { r[j] += bias[j] }
        }
    }

    /// `hidden = LayerNorm(projected + bias + hidden)` row by row: the residual connection and
    /// normalization after attention and after the feed-forward block.
    static func addBiasResidualLayerNorm(
        projected: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>, hidden: UnsafeMutablePointer<Float>,
        gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>, rows: Int, columns: Int, epsilon: Float
    ) {
        for row in 0..<rows {
            let p = projected + row * columns
            let h = hidden + row * columns
            for j in 0..<columns { p[j] = p[j] + bias[j] + h[j] }
            layerNorm(p, output: h, gamma: gamma, beta: beta, columns: columns, epsilon: epsilon)
        }
    }

    /// One row: `output = (x − mean) / sqrt(var + ε) · γ + β` (biased variance, as PyTorch).
    @inline(__always)
    static func layerNorm(
        _ x: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, gamma: UnsafePointer<Float>,
        beta: UnsafePointer<Float>, columns: Int, epsilon: Float
    ) {
        var s0: Float = 0, s1: Float = 0, s2: Float = 0, s3: Float = 0
        var j = 0
        while j + 4 <= columns {
            s0 += x[j]; s1 += x[j + 1]; s2 += x[j + 2]; s3 += x[j + 3]
            j += 4
        }
        while j < columns { s0 += x[j]; j += 1 }
        let mean = (s0 + s1 + s2 + s3) / Float(columns)
        var v0: Float = 0, v1: Float = 0, v2: Float = 0, v3: Float = 0
        j = 0
        while j + 4 <= columns {
            let d0 = x[j] - mean, d1 = x[j + 1] - mean, d2 = x[j + 2] - mean, d3 = x[j + 3] - mean
            v0 += d0 * d0; v1 += d1 * d1; v2 += d2 * d2; v3 += d3 * d3
            j += 4
        }
        while j < columns { let d = x[j] - mean; v0 += d * d; j += 1 }
        let variance = (v0 + v1 + v2 + v3) / Float(columns)
        let inverse = 1 / (variance + epsilon).squareRoot()
        for k in 0..<columns { output[k] = (x[k] - mean) * inverse * gamma[k] + beta[k] }
    }

    /// Softmax of each of `rows` rows of length `columns` (stride `columns`), in place.
    static func softmaxRows(_ x: UnsafeMutablePointer<Float>, rows: Int, columns: Int) {
        for row in 0..<rows {
            let r = x + row * columns
            var maximum = r[0]
            for j in 1..<columns { maximum = Swift.max(maximum, r[j]) }
            var sum: Float = 0
            for j in 0..<columns {
                let e = expNonPositive(r[j] - maximum)
                r[j] = e
                sum += e
            }
            let inverse = 1 / sum
            for j in 0..<columns { r[j] *= inverse }
        }
    }
}
