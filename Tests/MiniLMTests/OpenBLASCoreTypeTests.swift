import MiniLM
import Testing

@Suite struct OpenBLASCoreTypeTests {
    static let emeraldRapids: Set<String> = ["sse3", "avx", "avx2", "fma", "avx512f", "avx512dq", "avx512bw", "avx512vl", "avx512_vnni", "avx512_bf16"]

    @Test func theGenericFallbackOnAnAVX512CPUGetsTheAVX512Kernels() {
        #expect(OpenBLASCoreType.replacement(detected: "Prescott", cpuFlags: Self.emeraldRapids) == "Cooperlake")
        #expect(OpenBLASCoreType.replacement(detected: "Prescott", cpuFlags: Self.emeraldRapids.subtracting(["avx512_bf16"])) == "SkylakeX")
        #expect(OpenBLASCoreType.replacement(detected: "PRESCOTT", cpuFlags: ["avx2", "fma"]) == "Haswell")
    }

    @Test func anyOtherChoiceOrAnOldCPUIsLeftAlone() {
        #expect(OpenBLASCoreType.replacement(detected: "Zen", cpuFlags: Self.emeraldRapids) == nil)
        #expect(OpenBLASCoreType.replacement(detected: "Cooperlake", cpuFlags: Self.emeraldRapids) == nil)
        #expect(OpenBLASCoreType.replacement(detected: nil, cpuFlags: Self.emeraldRapids) == nil, "not OpenBLAS")
        #expect(OpenBLASCoreType.replacement(detected: "Prescott", cpuFlags: ["sse3", "avx"]) == nil)
        // AVX-512 without the subsets OpenBLAS's kernels use (Xeon Phi's avx512f + avx512er).
        #expect(OpenBLASCoreType.replacement(detected: "Prescott", cpuFlags: ["avx2", "fma", "avx512f", "avx512er"]) == "Haswell")
    }

    @Test func onlyPrescottIsTheGenericFallback() {
        #expect(OpenBLASCoreType.isGenericFallback("Prescott"))
        #expect(OpenBLASCoreType.isGenericFallback("prescott"))
        #expect(!OpenBLASCoreType.isGenericFallback("Haswell"))
        #expect(!OpenBLASCoreType.isGenericFallback(nil))
    }

    @Test func flagsComeFromTheFirstProcessorOfCpuinfo() {
        let cpuinfo = """
            processor\t: 0
            model name\t: Intel(R) Xeon(R) Processor
            flags\t\t: fpu sse3 avx2 fma avx512f
            bugs\t\t: spectre_v1

            processor\t: 1
            flags\t\t: fpu
            """
        #expect(OpenBLASCoreType.cpuFlags(cpuinfo: cpuinfo) == ["fpu", "sse3", "avx2", "fma", "avx512f"])
        #expect(OpenBLASCoreType.cpuFlags(cpuinfo: "processor : 0\nFeatures : fp asimd\n").isEmpty)
    }
}
