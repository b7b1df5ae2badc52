import Domain
import Foundation
import MiniLM
import Support

/// Product vectors for offline runs: `Product.embeddingText` through the bi-encoder, stored in
/// `.local/embeddings/<model version>-<catalog hash>.f32` (raw little-endian floats, rows in catalog
/// order) so repeated evaluations skip the ~minute of encoding.
public enum ProductEmbeddingCache {
    /// Loads the cached matrix or embeds and stores it. Returns `nil` when the model directory is missing.
    public static func vectors(
        for products: [Product], modelDirectory: URL, cacheDirectory: URL = URL(fileURLWithPath: ".local/embeddings"),
        threads: Int = 2, log: (String) -> Void = { _ in }
    ) throws -> [ProductID: [Float]]? {
        guard FileManager.default.fileExists(atPath: modelDirectory.appendingPathComponent("config.json").path) else { return nil }
        let encoder = try BiEncoder(modelDirectory: modelDirectory, threads: threads)
        let texts = products.map(\.embeddingText)
        let catalogHash = String(SHA256.hex(texts.joined(separator: "\n")).prefix(16))
        let safeVersion = encoder.modelVersion.replacingOccurrences(of: "/", with: "_")
        let file = cacheDirectory.appendingPathComponent("\(safeVersion)-\(catalogHash).f32")
        let d = encoder.dimension
        var matrix: [Float]
        if let data = FileManager.default.contents(atPath: file.path), data.count == products.count * d * 4 {
            matrix = [Float](repeating: 0, count: products.count * d)
            _ = matrix.withUnsafeMutableBytes { data.copyBytes(to: $0) }
            log("embeddings: cache hit \(file.lastPathComponent)")
        } else {
            log("embeddings: encoding \(products.count) products with \(encoder.modelVersion)")
            matrix = []
            matrix.reserveCapacity(products.count * d)
            let batch = 64
            for start in stride(from: 0, to: texts.count, by: batch) {
                for vector in encoder.embed(Array(texts[start..<min(texts.count, start + batch)])) {
                    matrix.append(contentsOf: vector)
                }
            }
            try FileManager.default.createDirectory(at: cacheDirectory, withIntermediateDirectories: true)
            try matrix.withUnsafeBytes { Data($0) }.write(to: file)
        }
        var result: [ProductID: [Float]] = [:]
        for (row, product) in products.enumerated() {
            result[product.id] = Array(matrix[(row * d)..<((row + 1) * d)])
        }
        return result
    }
}
