import ArgumentParser

/// `--rerank on|off`, whether the cross-encoder reranks the top blended items (stage 3):
/// `recommend-batch` and each `backtest` variant take it with the same values, default and check.
struct RerankSwitch: ParsableArguments {
    @Option(help: "Cross-encoder rerank: on or off.")
    var rerank: String = "off"

    var isOn: Bool { rerank == "on" }

    func validate() throws {
        guard rerank == "on" || rerank == "off" else { throw ValidationError("--rerank must be on or off") }
    }
}
