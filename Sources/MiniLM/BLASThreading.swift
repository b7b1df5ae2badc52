/// Run-time control of the BLAS library's own threads.
///
/// The package links the generic `libblas.so.3`; Debian's alternatives pick OpenBLAS when it is
/// installed, else the single-threaded reference BLAS. OpenBLAS exports `openblas_set_num_threads`,
/// found here with `dlsym(RTLD_DEFAULT, …)` so the same binary runs on either: with the reference
/// BLAS the calls are no-ops and every product runs on the calling thread.
///
/// **Sharing the cores.** An encoder call with `threads: n` splits its batch into n token-balanced
/// parts run concurrently (the caller plus n − 1 GCD workers), each with single-threaded BLAS, so
/// attention and the element-wise passes use every core too; only a batch too small to split
/// (under 64 tokens per part) hands the n threads to OpenBLAS instead. The BLAS thread count is one
/// process-wide setting. On a 2-core machine:
/// - latency: one encoder call at a time with `threads: 2` (a rerank of 20 pairs uses both cores);
/// - throughput: `threads: 1` and up to two concurrent calls from the server's own thread pool
///   (each call holds its own workspace, so they run in parallel without a lock between them).
/// The server does both, per call: its model pool gives a call that finds no other running
/// `threads: 2` and an overlapping call `threads: 1` (`ModelRuntime`). Never two concurrent
/// `threads: 2` calls (four busy threads on two cores).
public enum BLASThreading {
    private typealias SetThreads = @convention(c) (Int32) -> Void
    private typealias GetThreads = @convention(c) () -> Int32
    private typealias GetConfig = @convention(c) () -> UnsafePointer<CChar>?

    private static let setter: SetThreads? = BLASSymbol.address("openblas_set_num_threads").map {
        unsafeBitCast($0, to: SetThreads.self)
    }
    private static let getter: GetThreads? = BLASSymbol.address("openblas_get_num_threads").map {
        unsafeBitCast($0, to: GetThreads.self)
    }
    private static let config: GetConfig? = BLASSymbol.address("openblas_get_config").map {
        unsafeBitCast($0, to: GetConfig.self)
    }

    /// Whether the loaded BLAS lets us set its thread count (OpenBLAS).
    public static var isConfigurable: Bool { setter != nil }

    /// The BLAS's current thread count (1 when it has no threads of its own).
    public static var threads: Int { getter.map { Int($0()) } ?? 1 }

    /// Sets the BLAS thread count, when the BLAS supports it and the count differs.
    public static func setThreads(_ count: Int) {
        guard let setter, count >= 1 else { return }
        if let getter, Int(getter()) == count { return }
        setter(Int32(count))
    }

    /// A one-line description of the BLAS in use (OpenBLAS's build configuration, or "reference BLAS").
    public static var libraryDescription: String {
        if let config, let text = config() { return String(cString: text) }
        return "reference BLAS (no run-time thread control)"
    }
}
