import CBLAS
import Foundation

/// Measures what `cblas_sgemm` alone achieves on the encoder's dense shapes, so a benchmark can say
/// how close the whole forward pass comes to the BLAS's own speed.
public enum SGEMMPeak {
    /// GFLOP/s of the four dense products of one encoder layer (`[T,H]·[H,3H]`, `[T,H]·[H,H]`,
    /// `[T,H]·[H,I]`, `[T,I]·[I,H]`) on `tokens` rows, median of `repetitions` timed passes after a
    /// warm-up, with the BLAS set to `threads` threads. Operands are random and stay resident.
    public static func measure(configuration c: BertConfiguration, tokens: Int, threads: Int, repetitions: Int = 30) -> Double {
        BLASThreading.setThreads(threads)
        let H = c.hiddenSize, I = c.intermediateSize, T = max(1, tokens)
        var generator = SystemRandomNumberGenerator()
        func random(_ n: Int) -> [Float] { (0..<n).map { _ in Float.random(in: -0.1...0.1, using: &generator) } }
        let x = random(T * I), wQKV = random(H * 3 * H), wO = random(H * H), w1 = random(H * I), w2 = random(I * H)
        var out = [Float](repeating: 0, count: T * max(3 * H, I))
        let flops = 2 * Double(T) * (Double(H * 3 * H) + Double(H * H) + 2 * Double(H * I))
        var times: [Double] = []
        x.withUnsafeBufferPointer { x in
            wQKV.withUnsafeBufferPointer { wQKV in
                wO.withUnsafeBufferPointer { wO in
                    w1.withUnsafeBufferPointer { w1 in
                        w2.withUnsafeBufferPointer { w2 in
                            out.withUnsafeMutableBufferPointer { out in
                                let a = x.baseAddress!, c = out.baseAddress!
                                for pass in 0..<(repetitions + 3) {
                                    let start = DispatchTime.now().uptimeNanoseconds
                                    BertEncoder.matmul(a, wQKV.baseAddress!, c, m: T, n: 3 * H, k: H)
                                    BertEncoder.matmul(a, wO.baseAddress!, c, m: T, n: H, k: H)
                                    BertEncoder.matmul(a, w1.baseAddress!, c, m: T, n: I, k: H)
                                    BertEncoder.matmul(a, w2.baseAddress!, c, m: T, n: H, k: I)
                                    let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                                    if pass >= 3 { times.append(elapsed) }
                                }
                            }
                        }
                    }
                }
            }
        }
        times.sort()
        return flops / times[times.count / 2] / 1e9
    }
}
