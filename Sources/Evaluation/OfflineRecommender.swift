import Candidates
import Domain
import Experiments
import Foundation
import Ranking
import Rerank
import Rules
import Scoring

/// Runs the serving pipeline (`RecommendationPipeline`: sources → scorer → rerank → rules) in
/// process from files: indexes are built from the training history only, the clock is the split
/// date, and nothing from the evaluation window is read.
public struct OfflineRecommender: Sendable {
    public struct Options: Sendable, Equatable {
        public var k: Int = 10
        public var excludePurchased: Bool = false
        /// Weights for the homepage widget and the cart widget (defaults tuned on the validation
        /// split: docs/benchmarks/offline-quality.md).
        public var homepageWeights: RankingWeights = RankingWeights.homepageDefault
        public var cartWeights: RankingWeights = RankingWeights.cartDefault
        public var normalization: BlendedScorer.Normalization = .maxScaled
        /// The content source's normalisation, when it differs (`BlendedScorer.contentNormalization`).
        public var contentNormalization: BlendedScorer.Normalization? = nil
        /// The share of the weaker collaborative signal added to the stronger (`BlendedScorer`).
        public var collaborativeAgreement: Float = ScoredItem.defaultAgreement
        /// Stage 1 drops the candidates the exclusion rule would remove before the blend
        /// (`RecommendationPipeline.dropsExcludedCandidates`).
        public var dropExcludedCandidates: Bool = true
        /// Candidates each source proposes for the homepage and for the cart (the widgets'
        /// serving defaults, `PipelineOptions.defaults(for:)`).
        public var homepageCandidatesPerSource: Int = PipelineOptions().defaults(for: .homepage).candidatesPerSource
        public var cartCandidatesPerSource: Int = PipelineOptions().defaults(for: .cart).candidatesPerSource
        /// How the homepage's γ shrinks with the shopper's purchases (`PopularityShrinkage`, the
        /// widget's serving default); `nil` = one γ for everyone.
        public var homepagePopularityShrinkage: PopularityShrinkage? = PipelineOptions().defaults(for: .homepage).popularityShrinkage
        public var popularity = PopularityIndex.Configuration()
        public var customerCoPurchase = CoPurchaseIndex.Configuration.customers
        public var basketCoPurchase = CoPurchaseIndex.Configuration.baskets
        public var coPurchaseSource = CoPurchaseSource.Configuration()
        public var similarUsers = SimilarUsersIndex.Configuration.homepage
        public var useSimilarUsers: Bool = true
        /// item2vec candidates (`Item2VecSource`), trained on the window's history at build;
        /// nil = no such source. Their blend weight is `RankingWeights.item2vec` of each widget.
        public var item2vec: Item2VecIndex.Configuration? = nil
        /// EASE weights (`EASEIndex`) over customers and over baskets, fitted on the window's history
        /// at build when `coPurchaseSource.homepageEASEWeight` / `.cartEASEWeight` mixes them in
        /// (a share of 0 fits nothing); nil = none. The baskets' model is served (the cart's default).
        public var customerEASE: EASEIndex.Configuration? = EASEIndex.Configuration()
        public var basketEASE: EASEIndex.Configuration? = .baskets
        public var rerankWindow: Int = 0
        /// An experiment variant's parameters laid over the options above the way the service lays
        /// them over its defaults (`PipelineOptions.applying`), so `hybridrank replay` measures
        /// what each arm would serve. Its `rerank_window`, when set, replaces `rerankWindow`.
        /// Category, promotion and new-arrival rules stay off whatever it says: the offline
        /// catalog has no categories, promotions or arrival dates.
        public var variant: VariantParameters? = nil

        public init() {}
    }

    /// The origins of the candidate sources this recommender runs, in pipeline order.
    public var candidateOrigins: [CandidateOrigin] { pipeline.sources.map(\.origin) }

    /// Only the per-request part may change after init (`sharingIndexes(variant:excludePurchased:)`).
    public private(set) var options: Options
    public private(set) var pipeline: RecommendationPipeline
    public let catalog: StaticProductCatalog
    public let now: Date
    public let historyByUser: [UserID: [Interaction]]
    public let vectors: VectorIndex?
    public let fillGlobal: [ProductID]

    /// Builds every index from `history` (purchases before `now`).
    public init(
        products: [Product], history: [Interaction], now: Date, embeddings: [ProductID: [Float]]?,
        reranker: (any Reranker)? = nil, options: Options = Options()
    ) {
        self.options = options
        self.now = now
        catalog = StaticProductCatalog(products)
        let training = history.filter { $0.occurredAt < now }
        var byUser: [UserID: [Interaction]] = [:]
        for event in training.reversed() { byUser[event.userID, default: []].append(event) }
        historyByUser = byUser

        let popularity = PopularityIndex(configuration: options.popularity)
        let categories = Dictionary(products.map { ($0.id, $0.category) }, uniquingKeysWith: { a, _ in a })
        popularity.rebuild(from: training, categoryOf: { categories[$0] ?? "" })
        let basketIndex = CoPurchaseIndex(configuration: options.basketCoPurchase)
        basketIndex.rebuild(from: training, groupKey: \.basketKey)
        let customerIndex = CoPurchaseIndex(configuration: options.customerCoPurchase)
        customerIndex.rebuild(from: training, groupKey: \.userID)

        let customerEASE = Self.fitted(options.customerEASE, if: options.coPurchaseSource.homepageEASEWeight, training, \.userID)
        let basketEASE = Self.fitted(options.basketEASE, if: options.coPurchaseSource.cartEASEWeight, training, \.basketKey)

        var sources: [any CandidateSource] = [
            CoPurchaseSource(basketIndex: basketIndex, customerIndex: customerIndex, customerEASE: customerEASE, basketEASE: basketEASE,
                configuration: options.coPurchaseSource),
            PopularitySource(index: popularity),
        ]
        if options.useSimilarUsers {
            let similar = SimilarUsersIndex(configuration: options.similarUsers)
            similar.rebuild(from: training)
            sources.append(SimilarUsersSource(index: similar))
        }
        if let configuration = options.item2vec {
            let index = Item2VecIndex(configuration: configuration)
            index.rebuild(from: training)
            sources.append(Item2VecSource(index: index, seedHalfLifeDays: options.coPurchaseSource.seedHalfLifeDays))
        }
        if let embeddings, let dimension = embeddings.first?.value.count {
            let index = VectorIndex(dimension: dimension)
            for product in products {
                if let vector = embeddings[product.id] { index.upsert(product, vector: vector) }
            }
            vectors = index
            sources.append(ContentSource(index: index))
        } else {
            vectors = nil
        }
        fillGlobal = popularity.top(200, now: now).map(\.productID)
        pipeline = RecommendationPipeline(
            sources: sources, scorer: Self.scorer(options), reranker: reranker, dropsExcludedCandidates: options.dropExcludedCandidates)
    }

    private static func scorer(_ options: Options) -> BlendedScorer {
        BlendedScorer(
            normalization: options.normalization, contentNormalization: options.contentNormalization,
            collaborativeAgreement: options.collaborativeAgreement)
    }

    /// This recommender with another variant and exclusion setting, sharing every index already
    /// built: those fields are read per request, so comparing variants costs one index build.
    /// (Options read at init — popularity, co-purchase, similar users, normalisation — stay as built.)
    public func sharingIndexes(variant: VariantParameters?, excludePurchased: Bool) -> OfflineRecommender {
        var copy = self
        copy.options.variant = variant
        copy.options.excludePurchased = excludePurchased
        return copy
    }

    /// This recommender serving `request`'s per-request fields (k, exclusion, widget weights,
    /// candidates per source, the homepage's popularity shrinkage, rerank window, variant, the
    /// scorer's settings, candidate dropping) over the indexes already built; `request`'s
    /// build-time fields are ignored (`buildsSameIndexes` says whether they matter).
    public func sharingIndexes(requestOptions request: Options) -> OfflineRecommender {
        var copy = self
        copy.options.normalization = request.normalization
        copy.options.contentNormalization = request.contentNormalization
        copy.options.collaborativeAgreement = request.collaborativeAgreement
        copy.options.dropExcludedCandidates = request.dropExcludedCandidates
        copy.pipeline.scorer = Self.scorer(request)
        copy.pipeline.dropsExcludedCandidates = request.dropExcludedCandidates
        copy.options.k = request.k
        copy.options.excludePurchased = request.excludePurchased
        copy.options.homepageWeights = request.homepageWeights
        copy.options.cartWeights = request.cartWeights
        copy.options.homepageCandidatesPerSource = request.homepageCandidatesPerSource
        copy.options.cartCandidatesPerSource = request.cartCandidatesPerSource
        copy.options.homepagePopularityShrinkage = request.homepagePopularityShrinkage
        copy.options.rerankWindow = request.rerankWindow
        copy.options.variant = request.variant
        return copy
    }

    /// Whether two option sets build the same indexes and scorer (they differ at most in the
    /// fields `sharingIndexes(requestOptions:)` takes over).
    public static func buildsSameIndexes(_ a: Options, _ b: Options) -> Bool {
        var request = a
        request.k = b.k
        request.excludePurchased = b.excludePurchased
        request.homepageWeights = b.homepageWeights
        request.cartWeights = b.cartWeights
        request.homepageCandidatesPerSource = b.homepageCandidatesPerSource
        request.cartCandidatesPerSource = b.cartCandidatesPerSource
        request.homepagePopularityShrinkage = b.homepagePopularityShrinkage
        request.rerankWindow = b.rerankWindow
        request.variant = b.variant
        request.normalization = b.normalization
        request.contentNormalization = b.contentNormalization
        request.collaborativeAgreement = b.collaborativeAgreement
        request.dropExcludedCandidates = b.dropExcludedCandidates
        return request == b
    }

    /// Homepage lists for `users` (unknown users get the cold-start popularity list).
    public func recommend(users: [UserID], batchSize: Int = 64) async throws -> [UserID: [ProductID]] {
        var result: [UserID: [ProductID]] = [:]
        for start in stride(from: 0, to: users.count, by: batchSize) {
            let batch = Array(users[start..<min(users.count, start + batchSize)])
            let contexts = batch.map { user in
                context(RecommendationRequest(widget: .homepage, userID: user, filter: ProductFilter(inStockOnly: false), limit: options.k), user: user)
            }
            let lists = try await run(
                contexts, weights: options.homepageWeights, candidatesPerSource: options.homepageCandidatesPerSource,
                popularityShrinkage: options.homepagePopularityShrinkage)
            for (user, list) in zip(batch, lists) { result[user] = list }
        }
        return result
    }

    /// Cart lists for basket queries (keyed by basket id).
    public func recommend(carts: [CartQuery], batchSize: Int = 64) async throws -> [String: [ProductID]] {
        var result: [String: [ProductID]] = [:]
        for start in stride(from: 0, to: carts.count, by: batchSize) {
            let batch = Array(carts[start..<min(carts.count, start + batchSize)])
            let contexts = batch.map { query in
                context(
                    RecommendationRequest(
                        widget: .cart, userID: query.customerID, cartItems: query.cart, filter: ProductFilter(inStockOnly: false),
                        limit: options.k),
                    user: query.customerID)
            }
            let lists = try await run(
                contexts, weights: options.cartWeights, candidatesPerSource: options.cartCandidatesPerSource, popularityShrinkage: nil)
            for (query, list) in zip(batch, lists) { result[query.basketID] = list }
        }
        return result
    }

    /// An EASE model fitted on `history` grouped by `groupKey`, only when a share mixes it in.
    private static func fitted(
        _ configuration: EASEIndex.Configuration?, if share: Float, _ history: [Interaction], _ groupKey: (Interaction) -> String?
    ) -> EASEIndex? {
        guard let configuration, share > 0 else { return nil }
        let index = EASEIndex(configuration: configuration)
        index.rebuild(from: history, groupKey: groupKey)
        return index
    }

    private func context(_ request: RecommendationRequest, user: UserID) -> ShopperContext {
        let history = historyByUser[user] ?? []
        var shopper = ShopperContext(
            request: request, history: history, purchased: Set(history.map(\.productID)), now: now)
        if let vectors { shopper.queryVector = PreferenceVector.query(for: shopper, vectors: vectors) }
        return shopper
    }

    private func run(
        _ contexts: [ShopperContext], weights: RankingWeights, candidatesPerSource: Int, popularityShrinkage: PopularityShrinkage?
    ) async throws -> [[ProductID]] {
        var pipelineOptions = PipelineOptions(
            weights: weights, candidatesPerSource: candidatesPerSource, popularityShrinkage: popularityShrinkage)
        if let variant = options.variant { pipelineOptions = pipelineOptions.applying(variant) }
        pipelineOptions.rerank.window = reranking ? rerankWindow : 0
        pipelineOptions.rules.excludePurchased = options.excludePurchased
        pipelineOptions.rules.excludeContext = true
        // The offline catalog has no categories, promotions or arrival dates: those rules stay off.
        pipelineOptions.rules.diversityMaxPerCategory = 0
        pipelineOptions.rules.promotionBoost = 0
        pipelineOptions.rules.newArrivalBoost = 0
        // The vectors back the MMR rule (a variant's `mmr_lambda`), the diversity rule for catalogs without categories.
        let jobs = contexts.map { context in
            RankingJob(
                shopper: context, options: pipelineOptions,
                rules: RuleContext(
                    shopper: context, catalog: catalog, fillGlobal: fillGlobal, embeddings: vectors.map { IndexEmbeddingLookup(index: $0) }))
        }
        let recommendations = try await pipeline.rank(jobs)
        return zip(contexts, recommendations).map { context, recommendation in
            // Defensive: the protocol forbids these slots whatever the rules did.
            var excluded = Set(context.request.cartItems)
            if options.excludePurchased { excluded.formUnion(context.purchased) }
            return recommendation.items.map(\.productID).filter { !excluded.contains($0) }
        }
    }

    /// The window asked for: the variant's when it sets one, else the options'.
    private var rerankWindow: Int { options.variant?.rerankWindow ?? options.rerankWindow }

    private var reranking: Bool { pipeline.reranker != nil && rerankWindow > 0 }
}
