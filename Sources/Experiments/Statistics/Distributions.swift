import Foundation

/// The standard normal distribution.
public enum NormalDistribution {
    /// `P(Z ≤ z)`.
    public static func cdf(_ z: Double) -> Double { 0.5 * erfc(-z / 2.0.squareRoot()) }

    /// Two-sided p-value of a z statistic: `P(|Z| ≥ |z|)`.
    public static func twoSidedP(_ z: Double) -> Double { erfc(abs(z) / 2.0.squareRoot()) }

    /// The quantile `z` with `P(Z ≤ z) = p` (Acklam's rational approximation, refined by one
    /// Newton step to full double precision).
    public static func quantile(_ p: Double) -> Double {
        precondition(p > 0 && p < 1, "p must be in (0, 1)")
        let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
        let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                 6.680131188771972e+01, -1.328068155288572e+01]
        let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                 -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
        let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
        let low = 0.02425
        var x: Double
        if p < low {
            let q = (-2 * log(p)).squareRoot()
            x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        } else if p <= 1 - low {
            let q = p - 0.5
            let r = q * q
            x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
                / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
        } else {
            let q = (-2 * log1p(-p)).squareRoot()
            x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        }
        // One Halley step on the exact CDF.
        let e = cdf(x) - p
        let u = e * (2 * Double.pi).squareRoot() * exp(x * x / 2)
        x -= u / (1 + x * u / 2)
        return x
    }
}

/// Student's t distribution with `degreesOfFreedom` (may be fractional, as in Welch's test).
public enum StudentTDistribution {
    /// `P(T ≤ t)` via the regularized incomplete beta: `I_{ν/(ν+t²)}(ν/2, 1/2)`.
    public static func cdf(_ t: Double, degreesOfFreedom nu: Double) -> Double {
        guard t.isFinite else { return t > 0 ? 1 : 0 }
        let x = nu / (nu + t * t)
        let tail = 0.5 * SpecialFunctions.regularizedIncompleteBeta(x, a: nu / 2, b: 0.5)
        return t >= 0 ? 1 - tail : tail
    }

    /// Two-sided p-value `P(|T| ≥ |t|)`, computed in the tail (no cancellation).
    public static func twoSidedP(_ t: Double, degreesOfFreedom nu: Double) -> Double {
        guard t.isFinite else { return 0 }
        return SpecialFunctions.regularizedIncompleteBeta(nu / (nu + t * t), a: nu / 2, b: 0.5)
    }

    /// The quantile `t` with `P(T ≤ t) = p`, by bisection on the CDF (60 halvings: exact to
    /// double precision; called a few times per results request, never per unit).
    public static func quantile(_ p: Double, degreesOfFreedom nu: Double) -> Double {
        precondition(p > 0 && p < 1, "p must be in (0, 1)")
        if nu > 1e7 { return NormalDistribution.quantile(p) }
        var low = -1.0
        var high = 1.0
        while cdf(low, degreesOfFreedom: nu) > p { low *= 2 }
        while cdf(high, degreesOfFreedom: nu) < p { high *= 2 }
        for _ in 0..<100 {
            let mid = (low + high) / 2
            if cdf(mid, degreesOfFreedom: nu) < p { low = mid } else { high = mid }
            if high - low < 1e-13 * max(1, abs(mid)) { break }
        }
        return (low + high) / 2
    }
}

/// The χ² distribution with `k` degrees of freedom.
public enum ChiSquaredDistribution {
    /// Survival `P(X ≥ x) = Q(k/2, x/2)`: the p-value of a χ² statistic.
    public static func survival(_ x: Double, degreesOfFreedom k: Double) -> Double {
        SpecialFunctions.regularizedGammaQ(k / 2, x / 2)
    }
}
