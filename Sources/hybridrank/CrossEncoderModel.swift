import ArgumentParser
import Foundation

/// `--model`, the cross-encoder folder that `score` and `bench encoder` load: one definition, so
/// both take the same flag with the same default.
struct CrossEncoderModel: ParsableArguments {
    @Option(help: "Cross-encoder directory (config.json, vocab.txt, model.safetensors).")
    var model: String = "models/retail-reranker"

    /// The folder `CrossEncoder(modelDirectory:)` loads.
    var directory: URL { URL(fileURLWithPath: model) }
}
