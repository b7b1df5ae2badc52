import ArgumentParser
import Domain
import Engine
import Evaluation
import Experiments
import Foundation
import MiniLM
import Rerank
import Storage

/// `hybridrank replay`: every variant of one experiment through the offline protocol (tasks A
/// and C of `hybridrank eval`), side by side — what each arm would have done, before launch.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Score each variant of an experiment offline (tasks A and C) and print the lifts over the control.",
        discussion: """
            The experiment comes from --definitions FILE (YAML/JSON, as for `experiments apply`) or, \
            without it, from the database. Each variant's parameters are laid over the offline \
            defaults as the service lays them over its own; category, promotion and new-arrival \
            rules stay off (the offline catalog has none), and a variant that sets no rerank_window \
            is not reranked. The first variant is the control.
            """
    )

    @Option(help: "The experiment key.")
    var experiment: String
    @OptionGroup var data: OfflineDataFiles
    @Option(help: "History ends before this date (YYYY-MM-DD).")
    var split: String
    @Option(help: "Evaluation window ends before this date.")
    var end: String = "2011-09-01"
    @Option(help: "Experiment definitions file (.yaml, .yml or .json); default: the database.")
    var definitions: String?
    /// Read when no `--definitions` is given.
    @OptionGroup var database: DatabaseOptions
    @Option(help: "Tasks to run: A, C or AC.")
    var tasks: String = "AC"
    @OptionGroup var models: ModelDirectories
    @OptionGroup var output: JSONOutput

    func validate() throws {
        guard !tasks.isEmpty, tasks.allSatisfy({ $0 == "A" || $0 == "C" }) else {
            throw ValidationError("--tasks takes A, C or AC (task B has no widget to vary)")
        }
    }

    func run() async throws {
        guard let splitDate = RetailTimestamp.parse(split), let endDate = RetailTimestamp.parse(end) else {
            throw ValidationError("dates must be YYYY-MM-DD")
        }
        guard splitDate < endDate else { throw ValidationError("--split must be before --end") }
        let definition = try await loadExperiment()
        guard !definition.variants.isEmpty else {
            throw Self.failure("experiment \"\(experiment)\" has no variants")
        }
        for (task, widget) in [("A", Widget.homepage), ("C", Widget.cart)] where tasks.contains(task) && !definition.widgets.contains(widget) {
            RecommendBatchCommand.log("note: \"\(experiment)\" does not target the \(widget.rawValue) widget; task \(task) shows what its parameters would do there")
        }

        let started = Date()
        let dataset = try data.load()
        let evaluation = EvaluationProtocol(events: dataset.interactions, splitDate: splitDate, endDate: endDate)
        let catalogSize = Set(dataset.products.map(\.id)).count
        let embeddings = try models.embeddings(for: dataset.products)
        let reranker = try makeReranker(for: definition, products: dataset.products)

        // One index build for all variants: a variant only changes per-request options.
        let options = OfflineRecommender.Options()
        let shared = OfflineRecommender(
            products: dataset.products, history: evaluation.history, now: splitDate, embeddings: embeddings,
            reranker: reranker, options: options)
        RecommendBatchCommand.log(String(format: "indexes built in %.1f s", Date().timeIntervalSince(started)))

        var table = VariantReplayTable(experiment: definition)
        /// One task's metrics for every variant, in order, over the shared indexes.
        func scoreVariants(
            _ task: String, excludePurchased: Bool, truth: [String: Set<ProductID>],
            recommend: (OfflineRecommender) async throws -> [String: [ProductID]]
        ) async throws -> [RankingMetrics] {
            var metrics: [RankingMetrics] = []
            for variant in definition.variants {
                let lists = try await recommend(shared.sharingIndexes(variant: variant.parameters, excludePurchased: excludePurchased))
                metrics.append(RankingMetrics.score(lists: lists, truth: truth, catalogSize: catalogSize))
                RecommendBatchCommand.log(String(format: "task %@ %@ done at %.1f s", task, variant.key, Date().timeIntervalSince(started)))
            }
            return metrics
        }
        if tasks.contains("A") {
            let users = evaluation.evaluationUsers
            let metrics = try await scoreVariants("A", excludePurchased: true, truth: evaluation.truthTaskA()) {
                try await $0.recommend(users: users)
            }
            table.add(task: "A", baseWeights: options.homepageWeights, metrics: metrics)
        }
        if tasks.contains("C") {
            let queries = evaluation.taskCQueries()
            var truth: [String: Set<ProductID>] = [:]
            for query in queries { truth[query.basketID] = [query.hidden!] }
            let metrics = try await scoreVariants("C", excludePurchased: false, truth: truth) { try await $0.recommend(carts: queries) }
            table.add(task: "C", baseWeights: options.cartWeights, metrics: metrics)
        }

        if output.json {
            print(try table.json(split: split))
        } else {
            print(table.markdown)
            print("")
            for line in table.liftLines { print(line) }
        }
    }

    /// The experiment named by `--experiment`, from the file or the database.
    private func loadExperiment() async throws -> Experiment {
        let experiments: [Experiment]
        let source: String
        if let definitions {
            do {
                experiments = try ExperimentDefinitionFile.load(path: definitions).experiments
            } catch let error as ExperimentDefinitionFile.ParseError {
                // The file's author runs this command, so the decoder's detail is shown.
                throw Self.failure("\(error.description): \(error.detail)")
            }
            source = definitions
        } else {
            experiments = try await database.withClient { try await PostgresExperimentStore(postgres: $0).loadExperiments() }
            source = "the database"
        }
        guard let found = experiments.first(where: { $0.key == experiment }) else {
            let known = experiments.map(\.key).sorted()
            throw Self.failure("no experiment \"\(experiment)\" in \(source)" + (known.isEmpty ? "" : " (known: \(known.joined(separator: ", ")))"))
        }
        return found
    }

    /// The cross-encoder, only when some variant reranks: loading it costs seconds and memory.
    private func makeReranker(for definition: Experiment, products: [Product]) throws -> (any Reranker)? {
        let reranking = definition.variants.filter { ($0.parameters.rerankWindow ?? 0) > 0 }.map(\.key)
        guard !reranking.isEmpty else { return nil }
        guard models.hasCrossEncoder else {
            throw Self.failure("variant(s) \(reranking.joined(separator: ", ")) set rerank_window but there is no cross-encoder at \(models.crossEncoder) (--cross-encoder)")
        }
        RecommendBatchCommand.log("cross-encoder for \(reranking.joined(separator: ", ")) (rerank_window > 0): expect minutes per task")
        return try models.reranker(for: products)
    }

    /// Says why on stderr (without the usage text a `ValidationError` adds) and exits non-zero.
    private static func failure(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data("replay: \(message)\n".utf8))
        return .failure
    }
}
