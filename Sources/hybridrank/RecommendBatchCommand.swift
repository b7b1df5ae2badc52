import ArgumentParser
import Domain
import Evaluation
import Foundation
import MiniLM
import Rerank
import Scoring

/// `hybridrank recommend-batch`: the serving pipeline in process over files (no server, no database).
struct RecommendBatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recommend-batch",
        abstract: "Recommend for a users file (homepage) or a carts file (cart widget) from CSV history."
    )

    @OptionGroup var data: OfflineDataFiles
    @Option(help: "Users file (header user_id): homepage lists, written as user_id,rank,product_id.")
    var users: String?
    @Option(help: "Carts file (basket_id,customer_id,timestamp,cart): cart lists, written as basket_id,rank,product_id.")
    var carts: String?
    @Option(help: "List length.")
    var k: Int = 10
    @Flag(help: "Never recommend what the user already bought (homepage discovery).")
    var excludePurchased = false
    @OptionGroup var rerank: RerankSwitch
    @Option(help: "Content weight α (default: the tuned weight of the widget).")
    var alpha: Float?
    @Option(help: "Collaborative weight β.")
    var beta: Float?
    @Option(help: "Popularity weight γ.")
    var gamma: Float?
    @Option(help: "The clock (YYYY-MM-DD); default: just after the last event.")
    var now: String?
    @OptionGroup var models: ModelDirectories
    @Option(help: "Rerank window: how many of the top blended items stage 3 scores (and --write-candidates writes).")
    var rerankWindow: Int = 20
    @Option(help: "Also write each list's rerank window as stage 3 sees it (query text, documents, signals) to this CSV, for training/.")
    var writeCandidates: String?
    @Option(help: "Output CSV.")
    var out: String

    func run() async throws {
        guard (users == nil) != (carts == nil) else { throw ValidationError("give exactly one of --users or --carts") }
        guard rerankWindow > 0 else { throw ValidationError("--rerank-window must be positive") }
        let started = Date()
        let dataset = try data.load()
        let clock: Date
        if let now {
            guard let parsed = RetailTimestamp.parse(now) else { throw ValidationError("--now must be YYYY-MM-DD") }
            clock = parsed
        } else {
            clock = (dataset.interactions.last?.occurredAt ?? Date()).addingTimeInterval(1)
        }
        let embeddings = try models.embeddings(for: dataset.products)
        var options = OfflineRecommender.Options()
        options.k = k
        options.excludePurchased = excludePurchased
        options.homepageWeights = Self.override(options.homepageWeights, alpha, beta, gamma)
        options.cartWeights = Self.override(options.cartWeights, alpha, beta, gamma)
        var reranker: (any Reranker)? = nil
        if rerank.isOn {
            reranker = try models.reranker(for: dataset.products)
            options.rerankWindow = rerankWindow
        }
        // The recorder sits in stage 3's place and hands on to the model, if any: lists come out as without it.
        let candidateLog = RerankCandidateLog()
        if writeCandidates != nil {
            reranker = RecordingReranker(inner: reranker, log: candidateLog, catalog: StaticProductCatalog(dataset.products))
            options.rerankWindow = rerankWindow
        }
        let recommender = OfflineRecommender(
            products: dataset.products, history: dataset.interactions, now: clock, embeddings: embeddings,
            reranker: reranker, options: options)
        Self.log(String(format: "built indexes in %.1f s", Date().timeIntervalSince(started)))
        if let users {
            let ids = try RecommendationFile.readUsers(URL(fileURLWithPath: users))
            let lists = try await recommender.recommend(users: ids)
            try RecommendationFile.write(lists, keys: ids, keyColumn: "user_id", to: URL(fileURLWithPath: out))
            if let writeCandidates {
                try RerankCandidateFile.write(
                    candidateLog.entries, task: "homepage", queryIDs: ids, users: ids, to: URL(fileURLWithPath: writeCandidates))
            }
            Self.log(String(format: "%d users in %.1f s", ids.count, Date().timeIntervalSince(started)))
        } else if let carts {
            let queries = try RecommendationFile.readCarts(URL(fileURLWithPath: carts))
            let lists = try await recommender.recommend(carts: queries)
            try RecommendationFile.write(lists, keys: queries.map(\.basketID), keyColumn: "basket_id", to: URL(fileURLWithPath: out))
            if let writeCandidates {
                try RerankCandidateFile.write(
                    candidateLog.entries, task: "cart", queryIDs: queries.map(\.basketID), users: queries.map(\.customerID),
                    to: URL(fileURLWithPath: writeCandidates))
            }
            Self.log(String(format: "%d carts in %.1f s", queries.count, Date().timeIntervalSince(started)))
        }
    }

    static func override(_ weights: RankingWeights, _ alpha: Float?, _ beta: Float?, _ gamma: Float?) -> RankingWeights {
        var result = weights
        if let alpha { result.content = alpha }
        if let beta { result.collaborative = beta }
        if let gamma { result.popularity = gamma }
        return result
    }

    static func log(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
