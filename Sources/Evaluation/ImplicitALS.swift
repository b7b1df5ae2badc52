import CBLAS
import Domain
import Foundation

/// Implicit-feedback matrix factorisation by alternating least squares (Hu, Koren & Volinsky,
/// "Collaborative Filtering for Implicit Feedback Datasets", 2008), the ALS baseline of
/// ../shared/eval/BASELINES.md, small enough for BLAS on a laptop.
///
/// Every (user, product) pair bought `n` times has preference 1 and confidence
/// `1 + alpha · ln(1 + n)`; all other pairs preference 0 and confidence 1. Each half-step solves,
/// per user (then per product), `(YᵀY + Σ (c − 1) y yᵀ + λI) x = Σ c y` exactly by Cholesky, with
/// `YᵀY` computed once per half-step (`cblas_ssyrk`) and the per-pair terms added by `cblas_ssyr`.
/// Homepage lists rank products by `x_u · y_i`; cart lists by the summed cosine of the product
/// factors to the cart's products (BASELINES.md's "cart ALS item-item cosine").
///
/// Not tuned here: the defaults are plain choices (BASELINES.md's tuned setting used 256 factors
/// and BM25 weighting in the `implicit` library), so this is a lower bound on what ALS reaches.
/// Internal: `Baselines` is its one user.
struct ImplicitALS: Sendable {
    struct Configuration: Sendable, Hashable {
        /// Latent dimensions.
        var factors = 64
        /// λ, the ridge on every factor vector (not scaled by data size, as in `implicit`).
        var regularization: Float = 10
        /// Confidence slope on `ln(1 + purchases)`.
        var alpha: Float = 10
        var iterations = 10
        var seed: UInt64 = 0
    }

    let configuration: Configuration
    private let userRows: [UserID: Int]
    private let productRows: [ProductID: Int]
    private let productIDs: [ProductID]
    /// Row-major `users × factors` and `products × factors`.
    private let userFactors: [Float]
    private let productFactors: [Float]
    /// `productFactors` with unit rows (zero rows stay zero), for cart cosines.
    private let unitProductFactors: [Float]

    /// Fits on `history` (purchases). - Complexity: O(iterations · (pairs · f² + (users + products) · f³)).
    init(history: [Interaction], configuration: Configuration = Configuration()) {
        self.configuration = configuration
        var userRows: [UserID: Int] = [:]
        var productRows: [ProductID: Int] = [:]
        var productIDs: [ProductID] = []
        var counts: [[Int: Int]] = []
        for event in history where event.type == .purchase {
            let u = Self.row(of: event.userID, in: &userRows)
            if u == counts.count { counts.append([:]) }
            let p = Self.row(of: event.productID, in: &productRows)
            if p == productIDs.count { productIDs.append(event.productID) }
            counts[u][p, default: 0] += 1
        }
        // Both directions as sorted (row, confidence) lists, so sums run in a fixed order.
        var byUser: [[(Int, Float)]] = []
        var byProduct = [[(Int, Float)]](repeating: [], count: productIDs.count)
        for (u, row) in counts.enumerated() {
            let pairs = row.sorted { $0.key < $1.key }.map { ($0.key, 1 + configuration.alpha * Float(log1p(Double($0.value)))) }
            byUser.append(pairs)
            for (p, c) in pairs { byProduct[p].append((u, c)) }
        }
        let f = configuration.factors
        var generator = SplitMix64(seed: configuration.seed)
        func initial(_ rows: Int) -> [Float] {
            (0..<(rows * f)).map { _ in Float(generator.unitDouble() - 0.5) * 0.02 }
        }
        var users = initial(byUser.count)
        var products = initial(productIDs.count)
        for _ in 0..<configuration.iterations {
            Self.solve(&users, lists: byUser, fixed: products, factors: f, regularization: configuration.regularization)
            Self.solve(&products, lists: byProduct, fixed: users, factors: f, regularization: configuration.regularization)
        }
        var unit = products
        for row in 0..<productIDs.count {
            var norm: Float = 0
            for j in 0..<f { norm += unit[row * f + j] * unit[row * f + j] }
            let scale = norm > 0 ? 1 / norm.squareRoot() : 0
            for j in 0..<f { unit[row * f + j] *= scale }
        }
        self.userRows = userRows
        self.productRows = productRows
        self.productIDs = productIDs
        userFactors = users
        productFactors = products
        unitProductFactors = unit
    }

    /// Every known product's score for `user` (`x_u · y_i`); empty for a user without history.
    func scores(user: UserID) -> [ProductID: Float] {
        guard let u = userRows[user] else { return [:] }
        let f = configuration.factors
        return product(matrix: productFactors, with: Array(userFactors[(u * f)..<((u + 1) * f)]))
    }

    /// Every known product's summed cosine to the cart's products; empty when none is known.
    func scores(cart: [ProductID]) -> [ProductID: Float] {
        let f = configuration.factors
        var query = [Float](repeating: 0, count: f)
        var known = false
        for item in cart {
            guard let p = productRows[item] else { continue }
            known = true
            for j in 0..<f { query[j] += unitProductFactors[p * f + j] }
        }
        return known ? product(matrix: unitProductFactors, with: query) : [:]
    }

    private func product(matrix: [Float], with vector: [Float]) -> [ProductID: Float] {
        let f = configuration.factors
        var out = [Float](repeating: 0, count: productIDs.count)
        matrix.withUnsafeBufferPointer { m in
            vector.withUnsafeBufferPointer { v in
                out.withUnsafeMutableBufferPointer { o in
                    cblas_sgemv(
                        CblasRowMajor, CblasNoTrans, Int32(productIDs.count), Int32(f), 1, m.baseAddress, Int32(f), v.baseAddress, 1, 0,
                        o.baseAddress, 1)
                }
            }
        }
        var result: [ProductID: Float] = [:]
        result.reserveCapacity(productIDs.count)
        for (row, id) in productIDs.enumerated() { result[id] = out[row] }
        return result
    }

    /// One half-step: every row of `solved` from the `fixed` factors of its list.
    private static func solve(_ solved: inout [Float], lists: [[(Int, Float)]], fixed: [Float], factors f: Int, regularization: Float) {
        let fixedRows = fixed.count / f
        var gram = [Float](repeating: 0, count: f * f)
        fixed.withUnsafeBufferPointer { y in
            gram.withUnsafeMutableBufferPointer { g in
                cblas_ssyrk(CblasRowMajor, CblasUpper, CblasTrans, Int32(f), Int32(fixedRows), 1, y.baseAddress, Int32(f), 0, g.baseAddress, Int32(f))
            }
        }
        var a = [Float](repeating: 0, count: f * f)
        var b = [Float](repeating: 0, count: f)
        for (row, list) in lists.enumerated() {
            a = gram
            for j in 0..<f { a[j * f + j] += regularization }
            for j in 0..<f { b[j] = 0 }
            fixed.withUnsafeBufferPointer { y in
                a.withUnsafeMutableBufferPointer { am in
                    for (other, confidence) in list {
                        let vector = y.baseAddress! + other * f
                        cblas_ssyr(CblasRowMajor, CblasUpper, Int32(f), confidence - 1, vector, 1, am.baseAddress, Int32(f))
                        for j in 0..<f { b[j] += confidence * vector[j] }
                    }
                }
            }
            let x = choleskySolve(upper: a, b, size: f)
            for j in 0..<f { solved[row * f + j] = x[j] }
        }
    }

    /// Solves `A x = b` for symmetric positive-definite `A` given by its upper triangle (row-major),
    /// in `Double` for a stable factorisation.
    static func choleskySolve(upper a: [Float], _ b: [Float], size n: Int) -> [Float] {
        // L with A = L Lᵀ, L lower, row-major: L[i][j] for j ≤ i reads A's upper entry (j, i).
        var l = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0...i {
                var sum = Double(a[j * n + i])
                for k in 0..<j { sum -= l[i * n + k] * l[j * n + k] }
                if i == j {
                    l[i * n + i] = sum > 0 ? sum.squareRoot() : 1e-12
                } else {
                    l[i * n + j] = sum / l[j * n + j]
                }
            }
        }
        var y = [Double](repeating: 0, count: n)
        for i in 0..<n {
            var sum = Double(b[i])
            for k in 0..<i { sum -= l[i * n + k] * y[k] }
            y[i] = sum / l[i * n + i]
        }
        var x = [Double](repeating: 0, count: n)
        for i in stride(from: n - 1, through: 0, by: -1) {
            var sum = y[i]
            for k in (i + 1)..<n { sum -= l[k * n + i] * x[k] }
            x[i] = sum / l[i * n + i]
        }
        return x.map { Float($0) }
    }

    /// The dense row of `key`: its row when seen before, else the next free one (`rows.count`),
    /// recorded. Users and products get rows in order of first purchase.
    private static func row<Key: Hashable>(of key: Key, in rows: inout [Key: Int]) -> Int {
        if let known = rows[key] { return known }
        let row = rows.count
        rows[key] = row
        return row
    }
}
