import CBLAS
import Foundation

/// The inverse of a symmetric positive-definite matrix on BLAS level 3, for `EASEIndex`'s solve.
///
/// The system BLAS the project links (`libblas`, OpenBLAS at run time) has no LAPACK, so the
/// Cholesky factorisation is written here: LAPACK's left-looking blocked `potrf` (a `ssyrk` and a
/// `sgemm` bring each block column up to date, a small unblocked factorisation does the diagonal
/// block, a `strsm` the panel below it), then `L⁻¹` by one `strsm` against the identity and
/// `A⁻¹ = L⁻ᵀ L⁻¹` by one `ssyrk`. All three steps are O(n³) and run in BLAS.
enum SymmetricInverse {
    /// Replaces the `n × n` row-major `matrix` by its inverse (both triangles filled).
    /// - Returns: false when the matrix is not positive definite (then `matrix` is garbage).
    static func invertPositiveDefinite(_ matrix: inout [Float], n: Int) -> Bool {
        precondition(matrix.count == n * n, "an n × n matrix")
        guard n > 0 else { return true }
        guard factor(&matrix, n: n) else { return false }
        var inverseFactor = [Float](repeating: 0, count: n * n)
        for i in 0..<n { inverseFactor[i * n + i] = 1 }
        let count = Int32(n)
        matrix.withUnsafeBufferPointer { factor in
            inverseFactor.withUnsafeMutableBufferPointer { x in
                // X = L⁻¹: solve L·X = I.
                cblas_strsm(
                    CblasRowMajor, CblasLeft, CblasLower, CblasNoTrans, CblasNonUnit, count, count, 1,
                    factor.baseAddress, count, x.baseAddress, count)
            }
        }
        inverseFactor.withUnsafeBufferPointer { x in
            matrix.withUnsafeMutableBufferPointer { result in
                // A⁻¹ = Xᵀ·X, lower triangle.
                cblas_ssyrk(CblasRowMajor, CblasLower, CblasTrans, count, count, 1, x.baseAddress, count, 0, result.baseAddress, count)
            }
        }
        for i in 0..<n {
            for j in (i + 1)..<n { matrix[i * n + j] = matrix[j * n + i] }
        }
        return true
    }

    /// In-place Cholesky `A = L·Lᵀ` of the lower triangle (row-major); the upper triangle is left
    /// as it was.
    static func factor(_ a: inout [Float], n: Int, blockSize: Int = 64) -> Bool {
        let count = Int32(n)
        return a.withUnsafeMutableBufferPointer { buffer -> Bool in
            guard let base = buffer.baseAddress else { return false }
            for j0 in stride(from: 0, to: n, by: blockSize) {
                let width = min(blockSize, n - j0)
                let below = n - j0 - width
                if j0 > 0 {
                    // The diagonal block less its rows' products with the columns already done.
                    cblas_ssyrk(
                        CblasRowMajor, CblasLower, CblasNoTrans, Int32(width), Int32(j0), -1,
                        base + j0 * n, count, 1, base + j0 * n + j0, count)
                }
                // Unblocked Cholesky of the diagonal block.
                for c in 0..<width {
                    let rowC = base + (j0 + c) * n + j0
                    var diagonal = rowC[c]
                    for k in 0..<c { diagonal -= rowC[k] * rowC[k] }
                    guard diagonal > 0, diagonal.isFinite else { return false }
                    let root = diagonal.squareRoot()
                    rowC[c] = root
                    for r in (c + 1)..<width {
                        let rowR = base + (j0 + r) * n + j0
                        var value = rowR[c]
                        for k in 0..<c { value -= rowR[k] * rowC[k] }
                        rowR[c] = value / root
                    }
                }
                guard below > 0 else { continue }
                if j0 > 0 {
                    // The panel below less its products with the columns already done.
                    cblas_sgemm(
                        CblasRowMajor, CblasNoTrans, CblasTrans, Int32(below), Int32(width), Int32(j0), -1,
                        base + (j0 + width) * n, count, base + j0 * n, count, 1, base + (j0 + width) * n + j0, count)
                }
                // Panel · L_jj⁻ᵀ.
                cblas_strsm(
                    CblasRowMajor, CblasRight, CblasLower, CblasTrans, CblasNonUnit, Int32(below), Int32(width), 1,
                    base + j0 * n + j0, count, base + (j0 + width) * n + j0, count)
            }
            return true
        }
    }
}
