#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A function the loaded BLAS may export (OpenBLAS's extensions), looked up with
/// `dlsym(RTLD_DEFAULT, …)` so the same binary runs on a BLAS that lacks it.
enum BLASSymbol {
    static func address(_ name: String) -> UnsafeMutableRawPointer? {
        #if canImport(Glibc)
        return dlsym(nil, name)  // RTLD_DEFAULT
        #else
        return dlsym(UnsafeMutableRawPointer(bitPattern: -2), name)
        #endif
    }
}
