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

    @Option(help: "Products CSV, plain or .gz.")
    var catalog: String
    @Option(help: "Interactions CSV, plain or .gz.")
    var events: String
    @Option(help: "History ends before this date (YYYY-MM-DD).")
    var splitDate: String = "2011-06-01"
    @Option(help: "Evaluation window ends before this date.")
    var endDate: String = "2011-09-01"
    @Option(help: "Tasks to run, e.g. ABC or AC.")
    var tasks: String = "ABC"
    @Option(help: "Bi-encoder directory (content candidates are skipped when missing).")
    var biEncoder: String = ".models/all-MiniLM-L6-v2"
    @Flag(help: "Skip the baselines.")
    var noBaselines = false
    @Flag(help: "Skip content candidates.")
    var noContent = false
    @Option(help: "Override homepage weights as α,β,γ.")
    var homepageWeights: String?
    @Option(help: "Override cart weights as α,β,γ.")
    var cartWeights: String?
    @Option(help: "Score normalisation: min-max, max or rank.")
    var normalization: String = "max"
    @Option(help: "The content source's own normalisation (default: --normalization).")
    var contentNormalization: String?
    @Option(help: "Popularity decay time constant in days.")
    var popularityTau: Double = 14
    @Flag(help: "Popularity counts every purchase, not only first purchases.")
    var popularityAllPurchases = false
    @Option(help: "Customer co-occurrence neighbours per item.")
    var customerNeighbours: Int = 8
    @Option(help: "Customer co-occurrence half-life in days (0 = none).")
    var customerHalfLife: Double = 180
    @Option(help: "Customer co-occurrence neighbour scores raised to this power before seeds are summed.")
    var customerExponent: Float = CoPurchaseIndex.Configuration.customers.exponent
    @Option(help: "Basket co-occurrence neighbours per item.")
    var basketNeighbours: Int = 10
    @Option(help: "Basket co-occurrence normalisation: cosine, lift, asym:<alpha>, conditional.")
    var basketNormalization: String = "cosine"
    @Option(help: "Share of the cart list from the shopper's own earlier purchases.")
    var repeatWeight: Float = 0.4
    @Option(help: "Half-life of an earlier purchase's repeat weight in the cart, in days.")
    var repeatHalfLife: Double = 90
    @Option(help: "Share of the cart's co-occurrence evidence from the customer index.")
    var cartCustomerWeight: Float = 0
    @Option(help: "Extra weight of an earlier purchase whose basket overlapped the cart.")
    var repeatBasketAffinity: Float = 0
    @Option(help: "Basket co-occurrence half-life in days (0 = none).")
    var basketHalfLife: Double = 400
    @Option(help: "Basket co-occurrence neighbour scores raised to this power before seeds are summed.")
    var basketExponent: Float = CoPurchaseIndex.Configuration.baskets.exponent
    @Option(help: "Homepage seed half-life in days.")
    var seedHalfLife: Double = 30
    @Flag(help: "Leave out the similar-users source.")
    var noSimilarUsers = false
    @Option(help: "Write the hybrid's lists as <prefix>taskA.csv etc. for evaluate.py.")
    var writeLists: String?

    func run() async throws {
        guard let split = RetailTimestamp.parse(splitDate), let end = RetailTimestamp.parse(endDate) else {
            throw ValidationError("dates must be YYYY-MM-DD")
        }
        let started = Date()
        let dataset = try RetailDataset.load(catalog: URL(fileURLWithPath: catalog), events: URL(fileURLWithPath: events))
        let evaluation = EvaluationProtocol(events: dataset.interactions, splitDate: split, endDate: end)
        let catalogSize = Set(dataset.products.map(\.id)).count
        let embeddings = noContent
            ? nil
            : try ProductEmbeddingCache.vectors(
                for: dataset.products, modelDirectory: URL(fileURLWithPath: biEncoder), log: { RecommendBatchCommand.log($0) })
        var options = OfflineRecommender.Options()
        guard let norm = BlendedScorer.Normalization(rawValue: normalization) else { throw ValidationError("bad --normalization") }
        options.normalization = norm
        if let contentNormalization {
            guard let content = BlendedScorer.Normalization(rawValue: contentNormalization) else {
                throw ValidationError("bad --content-normalization")
            }
            options.contentNormalization = content
        }
        options.popularity = PopularityIndex.Configuration(
            decay: PopularityDecay(timeConstantDays: popularityTau), firstPurchasesOnly: !popularityAllPurchases)
        options.customerCoPurchase = CoPurchaseIndex.Configuration(
            normalization: .cosine, neighboursPerItem: customerNeighbours, halfLifeDays: customerHalfLife > 0 ? customerHalfLife : nil,
            exponent: customerExponent)
        options.basketCoPurchase = CoPurchaseIndex.Configuration(
            normalization: try Self.parseNormalization(basketNormalization), neighboursPerItem: basketNeighbours,
            halfLifeDays: basketHalfLife > 0 ? basketHalfLife : nil, exponent: basketExponent)
        options.coPurchaseSource = CoPurchaseSource.Configuration(
            seedHalfLifeDays: seedHalfLife, repeatWeight: repeatWeight, repeatHalfLifeDays: repeatHalfLife,
            cartCustomerWeight: cartCustomerWeight, repeatBasketAffinity: repeatBasketAffinity)
        options.useSimilarUsers = !noSimilarUsers
        if let homepageWeights { options.homepageWeights = try Self.parseWeights(homepageWeights) }
        if let cartWeights { options.cartWeights = try Self.parseWeights(cartWeights) }

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

    static func parseWeights(_ text: String) throws -> RankingWeights {
        let parts = text.split(separator: ",").compactMap { Float($0) }
        guard parts.count == 3 else { throw ValidationError("weights are α,β,γ") }
        return RankingWeights(content: parts[0], collaborative: parts[1], popularity: parts[2])
    }

    static func parseNormalization(_ text: String) throws -> CoPurchaseIndex.Normalization {
        switch text {
        case "cosine": return .cosine
        case "conditional": return .conditionalProbability
        case "lift": return .lift(shrinkage: 5)
        default:
            if text.hasPrefix("asym:"), let a = Float(text.dropFirst(5)) { return .asymmetric(alpha: a) }
            if text.hasPrefix("lift:"), let s = Float(text.dropFirst(5)) { return .lift(shrinkage: s) }
            throw ValidationError("bad --basket-normalization")
        }
    }
}
