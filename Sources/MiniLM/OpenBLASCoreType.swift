import Foundation

/// Which kernels OpenBLAS runs, and the better ones to ask for when it did not recognise the CPU.
///
/// A `DYNAMIC_ARCH` OpenBLAS (Debian's) picks its kernels from the CPU model once, when the library
/// loads. A release older than the CPU does not know the model and falls back to its generic
/// `Prescott` (SSE3) kernels: Debian 12's 0.3.21 on Intel's Emerald Rapids Xeons runs the
/// encoders about four times slower there (BENCHMARKS.md, "BLAS kernels"). The CPU's feature flags
/// still say what it can run, and `OPENBLAS_CORETYPE` makes OpenBLAS use those kernels — but only
/// when it is set before the library loads, so a process that finds the fallback restarts itself
/// with it set (`hybridrank`'s entry point). A value the operator set is never overridden.
public enum OpenBLASCoreType {
    /// OpenBLAS's generic x86-64 kernels, its choice for a model it does not know.
    public static let genericFallback = "Prescott"

    private typealias GetCoreName = @convention(c) () -> UnsafePointer<CChar>?

    /// The kernels the loaded OpenBLAS runs (`openblas_get_corename`); nil for another BLAS.
    public static var detected: String? {
        guard let symbol = BLASSymbol.address("openblas_get_corename"), let name = unsafeBitCast(symbol, to: GetCoreName.self)() else { return nil }
        return String(cString: name)
    }

    /// Whether `name` (a `detected` value) is OpenBLAS's generic fallback.
    public static func isGenericFallback(_ name: String?) -> Bool {
        name?.caseInsensitiveCompare(genericFallback) == .orderedSame
    }

    /// The `OPENBLAS_CORETYPE` to run with, or nil to keep OpenBLAS's own choice: only when it fell
    /// back to its generic kernels on a CPU whose flags allow a better set.
    /// - Parameters:
    ///   - detected: what OpenBLAS chose (`detected`).
    ///   - cpuFlags: the CPU's feature flags as `/proc/cpuinfo` names them (`cpuFlags(cpuinfo:)`).
    public static func replacement(detected: String?, cpuFlags: Set<String>) -> String? {
        guard isGenericFallback(detected) else { return nil }
        // The AVX-512 subsets OpenBLAS's SkylakeX kernels use; Cooperlake adds BF16.
        let avx512: Set<String> = ["avx512f", "avx512bw", "avx512dq", "avx512vl"]
        if cpuFlags.isSuperset(of: avx512) {
            return cpuFlags.contains("avx512_bf16") ? "Cooperlake" : "SkylakeX"
        }
        if cpuFlags.isSuperset(of: ["avx2", "fma"]) { return "Haswell" }
        return nil
    }

    /// The feature flags of the first processor listed in `/proc/cpuinfo`'s text (empty when
    /// there is no `flags` line, e.g. on other architectures).
    public static func cpuFlags(cpuinfo: String) -> Set<String> {
        for line in cpuinfo.split(separator: "\n", omittingEmptySubsequences: true) {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == "flags" else { continue }
            return Set(parts[1].split(separator: " ").map(String.init))
        }
        return []
    }
}
