import ArgumentParser
import Candidates
import Domain
import Evaluation
import Foundation
import Scoring

/// `hybridrank eval`: the offline protocol (../shared/eval/PROTOCOL.md) for the hybrid and the
/// built-in baselines, on a date split of the interactions file.
struct EvalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Recall/NDCG/HitRate/MRR@10 and coverage on tasks A, B, C for the hybrid and baselines."
    )

    @OptionGroup var data: OfflineDataFiles
    @Option(help: "History ends before this date (YYYY-MM-DD).")
    var splitDate: String = "2011-06-01"
    @Option(help: "Evaluation window ends before this date.")
    var endDate: String = "2011-09-01"
    @Option(help: "Tasks to run, e.g. ABC or AC.")
    var tasks: String = "ABC"
    @OptionGroup var biEncoder: BiEncoderDirectory
    @Flag(help: "Skip the baselines.")
    var noBaselines = false
    @OptionGroup var pipeline: PipelineOverrides
    @Option(help: "Write the hybrid's lists as <prefix>taskA.csv etc. for evaluate.py.")
    var writeLists: String?

    func run() async throws {
        guard let split = RetailTimestamp.parse(splitDate), let end = RetailTimestamp.parse(endDate) else {
            throw ValidationError("dates must be YYYY-MM-DD")
        }
        let started = Date()
        let dataset = try data.load()
        let evaluation = EvaluationProtocol(events: dataset.interactions, splitDate: split, endDate: end)
        let catalogSize = Set(dataset.products.map(\.id)).count
        let embeddings = pipeline.noContent ? nil : try biEncoder.vectors(for: dataset.products)
        let options = try pipeline.options()

        var homepage = options
        homepage.excludePurchased = true
        let discovery = OfflineRecommender(
            products: dataset.products, history: evaluation.history, now: split, embeddings: embeddings, options: homepage)
        let allPurchases = OfflineRecommender(
            products: dataset.products, history: evaluation.history, now: split, embeddings: embeddings, options: options)
        let baselines = noBaselines ? nil : Baselines(history: evaluation.history, now: split)
        RecommendBatchCommand.log(String(format: "indexes built in %.1f s", Date().timeIntervalSince(started)))

        print("| task | engine | NDCG@10 | Recall@10 | HitRate@10 | MRR@10 | coverage |")
        print("|---|---|---|---|---|---|---|")
        let users = evaluation.evaluationUsers
        if tasks.contains("A") {
            try report(
                "A", lists: try await discovery.recommend(users: users), keys: users, column: "user_id",
                truth: evaluation.truthTaskA(), catalogSize: catalogSize,
                baseline: baselines.map { b in { b.users(users, kind: $0, k: 10, excludePurchased: true) } })
        }
        if tasks.contains("B") {
            try report(
                "B", lists: try await allPurchases.recommend(users: users), keys: users, column: "user_id",
                truth: evaluation.truthTaskB(), catalogSize: catalogSize,
                baseline: baselines.map { b in { b.users(users, kind: $0, k: 10, excludePurchased: false) } })
        }
        if tasks.contains("C") {
            let queries = evaluation.taskCQueries()
            var truth: [String: Set<ProductID>] = [:]
            for query in queries { truth[query.basketID] = [query.hidden!] }
            try report(
                "C", lists: try await allPurchases.recommend(carts: queries), keys: queries.map(\.basketID),
                column: "basket_id", truth: truth, catalogSize: catalogSize,
                baseline: baselines.map { b in { b.carts(queries, kind: $0, k: 10) } })
        }
        RecommendBatchCommand.log(String(format: "eval done in %.1f s", Date().timeIntervalSince(started)))
    }

    /// One task's rows: the hybrid's (its lists written when --write-lists asks), then each
    /// built-in baseline's when `baseline` is given.
    private func report(
        _ task: String, lists: [String: [ProductID]], keys: [String], column: String, truth: [String: Set<ProductID>],
        catalogSize: Int, baseline: ((Baselines.Kind) -> [String: [ProductID]])?
    ) throws {
        try write(lists, keys: keys, column: column, task: task)
        Self.row(task, "hybrid", RankingMetrics.score(lists: lists, truth: truth, catalogSize: catalogSize))
        guard let baseline else { return }
        for kind in Baselines.Kind.allCases {
            Self.row(task, kind.rawValue, RankingMetrics.score(lists: baseline(kind), truth: truth, catalogSize: catalogSize))
        }
    }

    private func write(_ lists: [String: [ProductID]], keys: [String], column: String, task: String) throws {
        guard let writeLists else { return }
        try RecommendationFile.write(lists, keys: keys, keyColumn: column, to: URL(fileURLWithPath: writeLists + "task\(task).csv"))
    }

    static func row(_ task: String, _ engine: String, _ m: RankingMetrics) {
        print(String(format: "| %@ | %@ | %.4f | %.4f | %.4f | %.4f | %.3f |", task, engine, m.ndcg, m.recall, m.hitRate, m.mrr, m.coverage))
    }
}
