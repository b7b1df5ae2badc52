import Foundation
import MiniLM

#if canImport(Glibc)
import Glibc
#endif

/// The first thing `hybridrank` does: when OpenBLAS fell back to its generic kernels on a CPU it
/// does not know, restart this process once with `OPENBLAS_CORETYPE` naming the kernels the CPU
/// can run (`OpenBLASCoreType`). OpenBLAS reads the variable only while it loads, before any Swift
/// runs, so setting it in-process would change nothing. The restart keeps the pid, the arguments and
/// the environment (plus that variable, which also stops a second restart); if it fails, the
/// process goes on with the slow kernels. An operator's own `OPENBLAS_CORETYPE` always wins.
enum BLASKernelRestart {
    static func restartIfOpenBLASFellBack() {
        guard getenv("OPENBLAS_CORETYPE") == nil,
            let detected = OpenBLASCoreType.detected,
            OpenBLASCoreType.isGenericFallback(detected),
            let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
            let core = OpenBLASCoreType.replacement(detected: detected, cpuFlags: OpenBLASCoreType.cpuFlags(cpuinfo: cpuinfo))
        else { return }
        setenv("OPENBLAS_CORETYPE", core, 1)
        FileHandle.standardError.write(Data(
            "hybridrank: OpenBLAS chose its generic \(detected) kernels for this CPU; restarting with OPENBLAS_CORETYPE=\(core) (set OPENBLAS_CORETYPE to choose)\n".utf8))
        execv("/proc/self/exe", CommandLine.unsafeArgv)
        FileHandle.standardError.write(Data("hybridrank: the restart failed (errno \(errno)); going on with the generic kernels\n".utf8))
    }
}
