import ArgumentParser
import Domain
import Evaluation
import Foundation
import MiniLM
import Rerank

/// The two model folders the offline commands (`recommend-batch`, `replay`, `backtest`) read:
/// one definition of the flags and of how each model is loaded, so the commands load them alike.
struct ModelDirectories: ParsableArguments {
    @OptionGroup var biEncoder: BiEncoderDirectory
    @Option(help: "Cross-encoder directory, loaded only when a run reranks.")
    var crossEncoder: String = "models/retail-reranker"

    /// The products' bi-encoder vectors (cached on disk), or nil when there is no bi-encoder:
    /// said on stderr, since α then has nothing to weigh.
    func embeddings(for products: [Product]) throws -> [ProductID: [Float]]? {
        try biEncoder.embeddings(for: products)
    }

    /// Whether `--cross-encoder` names a model folder. Commands whose runs ask for a rerank check
    /// it first: silently skipping the rerank would report those runs as something they are not.
    var hasCrossEncoder: Bool {
        FileManager.default.fileExists(atPath: URL(fileURLWithPath: crossEncoder).appendingPathComponent("config.json").path)
    }

    /// Stage 3 as served, over an in-memory score cache. Loading the model costs seconds and
    /// memory, so callers build it only when some run reranks.
    func reranker(for products: [Product]) throws -> CrossEncoderReranker {
        let encoder = try CrossEncoder(modelDirectory: URL(fileURLWithPath: crossEncoder), threads: 2)
        return CrossEncoderReranker(
            scorer: CrossEncoderPairScorer(encoder: encoder), catalog: StaticProductCatalog(products), cache: InMemoryRerankScoreCache())
    }
}
