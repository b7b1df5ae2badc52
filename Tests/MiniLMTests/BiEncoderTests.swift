import Foundation
import TestSupport
import Testing

@testable import MiniLM

@Suite("Bi-encoder embeddings against the Python reference", .ownThreads)
struct BiEncoderTests {
    @Test("Cosine ≥ 0.9999 with every fixture embedding",
        .enabled(if: Fixtures.biEncoderPresent && Fixtures.sharedPresent,
            "skipped: .models/all-MiniLM-L6-v2 is absent; run scripts/fetch-models.sh"))
    func embeddingsMatchReference() throws {
        let model = try #require(Fixtures.biEncoder)
        let cases = try Fixtures.texts()
        let embeddings = model.embed(sequences: cases.map { model.tokenize($0.text) }, threads: 2)
        #expect(embeddings.count == cases.count)
        var worst: Float = 1
        for (item, embedding) in zip(cases, embeddings) {
            #expect(embedding.count == 384)
            var dot: Float = 0, a: Float = 0, b: Float = 0
            for (x, y) in zip(embedding, item.embedding) {
                dot += x * y
                a += x * x
                b += y * y
            }
            let cosine = dot / (a.squareRoot() * b.squareRoot())
            worst = min(worst, cosine)
            #expect(cosine >= 0.9999, "text kind \(item.kind)")
            #expect(abs(a.squareRoot() - 1) < 1e-4)
        }
        print("bi-encoder: min cosine with reference = \(worst) over \(cases.count) texts")
    }

    @Test("Model version and dimension",
        .enabled(if: Fixtures.biEncoderPresent, "skipped: .models/all-MiniLM-L6-v2 is absent; run scripts/fetch-models.sh"))
    func versionAndDimension() throws {
        let model = try #require(Fixtures.biEncoder)
        #expect(model.dimension == 384)
        #expect(model.maxLength == 256)
        #expect(model.modelVersion.hasPrefix("all-MiniLM-L6-v2@"))
        #expect(model.modelVersion.count == "all-MiniLM-L6-v2@".count + 12)
        let edge = model.embed(["", "   ", String(repeating: "x", count: 10_000), "😀 東京"])
        #expect(edge.count == 4)
        for vector in edge {
            let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
            #expect(abs(norm - 1) < 1e-4)
        }
    }
}
