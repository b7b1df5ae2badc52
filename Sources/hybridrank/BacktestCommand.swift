import ArgumentParser
import Domain
import Evaluation
import Foundation
import MiniLM
import Rerank

/// `hybridrank backtest`: the pipeline, its named variants and the baselines on every backtest
/// window of `../shared/eval` (PROTOCOL.md), tasks A and C per window and on their mean, each run
/// against a base run with paired bootstrap intervals. Settings are chosen on the mean of the
/// windows and checked on each; `--write-lists` writes every list for `evaluate.py --split`.
struct BacktestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backtest",
        abstract: "Tasks A and C on every backtest window and their mean, with paired bootstrap intervals against a base run.",
        discussion: """
            The run "pipeline" is the serving pipeline with its defaults and rerank off. Each \
            --variant "NAME: FLAGS" adds a run with eval's flags (--popularity-tau 30, \
            --homepage-weights 0.1,0.5,0.5, --no-similar-users, ...) or --rerank on \
            [--rerank-window 20] [--rerank-combination additive|replace|rrf] [--rerank-weight W]. \
            Users and baskets are resampled per window (--bootstrap replicates, --seed) with the \
            same draw for every run. --max-users scores a seeded sample of each window's users and \
            carts, the same for every run; the tables say how many.
            """
    )

    @OptionGroup var data: OfflineDataFiles
    @Option(help: "Folder holding one folder of query and truth files per window.")
    var evalDirectory: String = "../shared/eval"
    @Option(help: "Windows, comma-separated: \(BacktestWindow.all.map(\.name).joined(separator: ",")).")
    var windows: String = BacktestWindow.all.map(\.name).joined(separator: ",")
    @Option(help: "A named pipeline run, \"NAME: FLAGS\" (repeatable).")
    var variant: [String] = []
    @Option(help: "Baselines, comma-separated (\(Self.baselineKeys.map(\.key).joined(separator: ","))), or none.")
    var baselines: String = Self.baselineKeys.map(\.key).joined(separator: ",")
    @Option(help: "The run every other run is compared with: RUN, or per task A=RUN,C=RUN.")
    var base: String = "pipeline"
    @Option(help: "Score at most this many users and this many carts per window (a seeded sample).")
    var maxUsers: Int?
    @Option(help: "Bootstrap replicates.")
    var bootstrap: Int = 1000
    @Option(help: "Seed of the bootstrap and of the --max-users sample.")
    var seed: UInt64 = 0
    @OptionGroup var models: ModelDirectories
    @Option(help: "Write the tables here as Markdown (they are printed either way).")
    var markdown: String?
    @Option(help: "Write every number, ratios and deltas with intervals, here as JSON.")
    var json: String?
    @Option(help: "Write each run's lists as DIR/<window>/<run>_task{A,C}.csv for evaluate.py --split <window>.")
    var writeLists: String?

    /// The baselines' names in `--baselines` and the tables, in table order.
    static let baselineKeys: [(key: String, kind: Baselines.Kind)] = [
        ("popularity-60d", .recentPopularity), ("item-knn", .itemKNN), ("user-knn", .userKNN), ("knn-blend", .knnBlend),
        ("als", .implicitALS), ("popularity-global", .globalPopularity),
    ]

    /// One column of the report: a pipeline variant or a baseline.
    private enum Run {
        case pipeline(BacktestVariant)
        case baseline(String, Baselines.Kind)

        var name: String {
            switch self {
            case .pipeline(let variant): return variant.name
            case .baseline(let name, _): return name
            }
        }
    }

    func validate() throws {
        guard bootstrap >= 1 else { throw ValidationError("--bootstrap must be at least 1") }
        if let maxUsers, maxUsers < 1 { throw ValidationError("--max-users must be at least 1") }
    }

    func run() async throws {
        let started = Date()
        let chosenWindows = try windows.split(separator: ",").map { name in
            guard let window = BacktestWindow.named(String(name)) else {
                throw ValidationError("unknown window \(name) (known: \(BacktestWindow.all.map(\.name).joined(separator: ", ")))")
            }
            return window
        }
        let runs = try makeRuns()
        let bases = try taskBases(runs: runs.map(\.name))
        let variants: [BacktestVariant] = runs.compactMap { run in
            guard case .pipeline(let variant) = run else { return nil }
            return variant
        }

        let dataset = try data.load()
        let catalogSize = Set(dataset.products.map(\.id)).count
        let embeddings = variants.allSatisfy(\.pipeline.noContent) ? nil : try models.embeddings(for: dataset.products)
        let reranker = try makeReranker(for: variants, products: dataset.products)

        var cellsA: [[BacktestReport.Cell]] = []
        var cellsC: [[BacktestReport.Cell]] = []
        var samplesA: [BacktestReport.WindowSample] = []
        var samplesC: [BacktestReport.WindowSample] = []
        for window in chosenWindows {
            var queries = try BacktestQueries.load(folder: URL(fileURLWithPath: evalDirectory).appendingPathComponent(window.name))
            if let maxUsers { queries = queries.sampled(limit: maxUsers, seed: seed) }
            let samples = queries.reportedSamples(window: window.name)
            samplesA.append(samples.users)
            samplesC.append(samples.carts)
            let history = dataset.interactions.filter { $0.type == .purchase && $0.occurredAt < window.start }
            let baselineKinds = Set(
                runs.compactMap { run -> Baselines.Kind? in
                    guard case .baseline(_, let kind) = run else { return nil }
                    return kind
                })
            let baselineModels = baselineKinds.isEmpty ? nil : Baselines(history: history, now: window.start, kinds: baselineKinds)
            var built: [(options: OfflineRecommender.Options, content: Bool, recommender: OfflineRecommender)] = []
            var rowA: [BacktestReport.Cell] = []
            var rowC: [BacktestReport.Cell] = []
            for run in runs {
                let listsA: [String: [ProductID]]
                let listsC: [String: [ProductID]]
                switch run {
                case .pipeline(let variant):
                    var options = try variant.options()
                    let content = !variant.pipeline.noContent
                    let recommender: OfflineRecommender
                    if let shared = built.first(where: { $0.content == content && OfflineRecommender.buildsSameIndexes($0.options, options) }) {
                        recommender = shared.recommender
                    } else {
                        recommender = OfflineRecommender(
                            products: dataset.products, history: history, now: window.start, embeddings: content ? embeddings : nil,
                            reranker: reranker, options: options)
                        built.append((options, content, recommender))
                    }
                    options.excludePurchased = true
                    listsA = try await recommender.sharingIndexes(requestOptions: options).recommend(users: queries.users)
                    options.excludePurchased = false
                    listsC = try await recommender.sharingIndexes(requestOptions: options).recommend(carts: queries.carts)
                case .baseline(_, let kind):
                    listsA = baselineModels!.users(queries.users, kind: kind, k: 10, excludePurchased: true)
                    listsC = baselineModels!.carts(queries.carts, kind: kind, k: 10)
                }
                rowA.append(cell(listsA, keys: queries.users, truth: queries.truthA, catalogSize: catalogSize))
                rowC.append(cell(listsC, keys: queries.carts.map(\.basketID), truth: queries.truthC, catalogSize: catalogSize))
                try write(listsA, keys: queries.users, column: "user_id", window: window.name, run: run.name, task: "A")
                try write(listsC, keys: queries.carts.map(\.basketID), column: "basket_id", window: window.name, run: run.name, task: "C")
                RecommendBatchCommand.log(String(format: "%@ %@ done at %.0f s", window.name, run.name, Date().timeIntervalSince(started)))
            }
            cellsA.append(rowA)
            cellsC.append(rowC)
        }

        var report = BacktestReport(runs: runs.map(\.name), base: bases["A"]!, replicates: bootstrap, seed: seed)
        report.add(task: .homepage, samples: samplesA, cells: cellsA, base: bases["A"])
        report.add(task: .cart, samples: samplesC, cells: cellsC, base: bases["C"])
        let header = describe(variants: variants, started: started)
        let text = header + "\n\n" + report.markdown + "\n"
        print(text)
        if let markdown { try text.write(to: URL(fileURLWithPath: markdown), atomically: true, encoding: .utf8) }
        if let json {
            var about = ["command": CommandLine.arguments.joined(separator: " "), "date": ISO8601DateFormatter().string(from: started)]
            for variant in variants { about["variant." + variant.name] = variantFlags(variant) }
            try report.json(extra: about).write(to: URL(fileURLWithPath: json))
        }
        RecommendBatchCommand.log(String(format: "backtest done in %.0f s", Date().timeIntervalSince(started)))
    }

    /// "pipeline" first (unless a variant redefines it), then the variants, then the baselines.
    private func makeRuns() throws -> [Run] {
        var variants = try variant.map { try BacktestVariant.parse(spec: $0) }
        if !variants.contains(where: { $0.name == "pipeline" }) {
            variants.insert(try BacktestVariant.parse(spec: "pipeline:"), at: 0)
        }
        var runs = variants.map(Run.pipeline)
        if baselines != "none" {
            for key in baselines.split(separator: ",").map(String.init) {
                guard let kind = Self.baselineKeys.first(where: { $0.key == key })?.kind else {
                    throw ValidationError("unknown baseline \(key) (known: \(Self.baselineKeys.map(\.key).joined(separator: ", ")), none)")
                }
                runs.append(.baseline(key, kind))
            }
        }
        let names = runs.map(\.name)
        guard Set(names).count == names.count else { throw ValidationError("run names must differ: \(names.joined(separator: ", "))") }
        return runs
    }

    /// `--base` per task: one run for both, or `A=RUN,C=RUN`.
    private func taskBases(runs: [String]) throws -> [String: String] {
        var bases: [String: String] = [:]
        if base.contains("=") {
            for part in base.split(separator: ",") {
                let pair = part.split(separator: "=", maxSplits: 1).map(String.init)
                guard pair.count == 2, pair[0] == "A" || pair[0] == "C" else { throw ValidationError("--base takes RUN or A=RUN,C=RUN") }
                bases[pair[0]] = pair[1]
            }
        } else {
            bases = ["A": base, "C": base]
        }
        for task in ["A", "C"] {
            guard let run = bases[task], runs.contains(run) else {
                throw ValidationError("--base: task \(task) needs a run (runs: \(runs.joined(separator: ", ")))")
            }
        }
        return bases
    }

    private func cell(_ lists: [String: [ProductID]], keys: [String], truth: [String: Set<ProductID>], catalogSize: Int) -> BacktestReport.Cell {
        var scoredTruth: [String: Set<ProductID>] = [:]
        for key in keys { scoredTruth[key] = truth[key] ?? [] }
        return BacktestReport.Cell(
            keyScores: RankingMetrics.keyScores(lists: lists, truth: truth, keys: keys),
            coverage: RankingMetrics.score(lists: lists, truth: scoredTruth, catalogSize: catalogSize).coverage)
    }

    private func write(_ lists: [String: [ProductID]], keys: [String], column: String, window: String, run: String, task: String) throws {
        guard let writeLists else { return }
        let folder = URL(fileURLWithPath: writeLists).appendingPathComponent(window)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try RecommendationFile.write(lists, keys: keys, keyColumn: column, to: folder.appendingPathComponent("\(run)_task\(task).csv"))
    }

    /// The cross-encoder, only when some variant reranks: loading it costs seconds and memory.
    private func makeReranker(for variants: [BacktestVariant], products: [Product]) throws -> (any Reranker)? {
        guard variants.contains(where: \.reranks) else { return nil }
        guard models.hasCrossEncoder else {
            throw ValidationError("a variant sets --rerank on but there is no cross-encoder at \(models.crossEncoder) (--cross-encoder)")
        }
        return try models.reranker(for: products)
    }

    private func variantFlags(_ variant: BacktestVariant) -> String {
        let spec = self.variant.first { $0.split(separator: ":", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces) } == variant.name }
        let flags = spec.flatMap { $0.split(separator: ":", maxSplits: 1).dropFirst().first }.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        return flags.isEmpty ? "(serving defaults, rerank off)" : flags
    }

    /// What was run: runs, base, sample and bootstrap, so a pasted table carries its context.
    private func describe(variants: [BacktestVariant], started: Date) -> String {
        var lines = ["## Backtest (\(ISO8601DateFormatter().string(from: started)))", ""]
        for variant in variants { lines.append("- `\(variant.name)`: \(variantFlags(variant))") }
        lines.append(
            "- ratios: each run ÷ the base (`\(base)`), 95% paired bootstrap interval (\(bootstrap) replicates, seed \(seed), users or baskets resampled per window; the mean resamples every window)"
        )
        if let maxUsers { lines.append("- sample: at most \(maxUsers) users and \(maxUsers) carts per window (seed \(seed)), the same for every run") }
        return lines.joined(separator: "\n")
    }
}
