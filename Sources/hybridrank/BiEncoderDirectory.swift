import ArgumentParser
import Domain
import Evaluation
import Foundation

/// `--bi-encoder`, the bi-encoder folder whose product vectors feed the content candidates of the
/// offline commands (`eval`, and through `ModelDirectories` `recommend-batch`, `replay` and
/// `backtest`): one definition of the flag and of how the vectors are read.
struct BiEncoderDirectory: ParsableArguments {
    @Option(help: "Bi-encoder directory for content candidates (skipped when missing).")
    var biEncoder: String = ".models/all-MiniLM-L6-v2"

    /// The products' bi-encoder vectors (cached on disk), or nil when there is no bi-encoder.
    func vectors(for products: [Product]) throws -> [ProductID: [Float]]? {
        try ProductEmbeddingCache.vectors(
            for: products, modelDirectory: URL(fileURLWithPath: biEncoder), log: { RecommendBatchCommand.log($0) })
    }

    /// `vectors(for:)`, with a missing bi-encoder said on stderr, since α then has nothing to weigh.
    func embeddings(for products: [Product]) throws -> [ProductID: [Float]]? {
        let embeddings = try vectors(for: products)
        if embeddings == nil { RecommendBatchCommand.log("no bi-encoder at \(biEncoder): content candidates skipped") }
        return embeddings
    }
}
