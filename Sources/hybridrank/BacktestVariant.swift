import ArgumentParser
import Evaluation
import Experiments
import Foundation

/// One pipeline run of `hybridrank backtest`, written `NAME: FLAGS` with `eval`'s flags
/// (`PipelineOverrides`) plus the rerank settings, e.g. `rerank-on: --rerank on` or
/// `tau-30: --popularity-tau 30`. Unset flags keep the serving defaults.
struct BacktestVariant: ParsableArguments {
    @OptionGroup var pipeline: PipelineOverrides
    @OptionGroup var rerank: RerankSwitch
    @Option(help: "Top blended items the cross-encoder rescores when --rerank on (as recommend-batch).")
    var rerankWindow: Int = 20
    @Option(help: "How the logit combines with the blended score: additive, replace or rrf.")
    var rerankCombination: String?
    @Option(help: "Weight of the cross-encoder term for additive.")
    var rerankWeight: Float?
    @Option(help: "Purchases of the last N days before the clock are not suggested (the served cart's policy is 1).")
    var excludeRecentPurchasesDays: Int?

    var name = ""

    enum CodingKeys: CodingKey {
        case pipeline, rerank, rerankWindow, rerankCombination, rerankWeight, excludeRecentPurchasesDays
    }

    var reranks: Bool { rerank.isOn && rerankWindow > 0 }

    func validate() throws {
        if let rerankCombination, !VariantParameters.knownCombinations.contains(rerankCombination) {
            throw ValidationError("--rerank-combination must be one of \(VariantParameters.knownCombinations.sorted().joined(separator: ", "))")
        }
    }

    /// `NAME: FLAGS` → the variant; the name is what tables and `--base` call it.
    static func parse(spec: String) throws -> BacktestVariant {
        let parts = spec.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        let name = parts[0].trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) else {
            throw ValidationError("--variant \"\(spec)\": give NAME: FLAGS, the name in letters, digits, - _ .")
        }
        let flags = parts.count > 1 ? parts[1].split(whereSeparator: \.isWhitespace).map(String.init) : []
        do {
            var variant = try parse(flags)
            variant.name = name
            return variant
        } catch {
            throw ValidationError("--variant \(name): \(message(for: error))")
        }
    }

    /// The offline options of this run (`excludePurchased` and `k` are set per task).
    func options() throws -> OfflineRecommender.Options {
        var options = try pipeline.options()
        options.rerankWindow = reranks ? rerankWindow : 0
        if rerankCombination != nil || rerankWeight != nil || excludeRecentPurchasesDays != nil {
            options.variant = VariantParameters(
                rerankWindow: options.rerankWindow, rerankCombination: rerankCombination, rerankWeight: rerankWeight,
                excludeRecentPurchasesDays: excludeRecentPurchasesDays)
        }
        return options
    }
}
