import ArgumentParser
import Candidates
import Domain
import Evaluation
import Ranking
import Scoring

/// The pipeline settings `eval` and each `backtest` variant may override, with the serving
/// defaults (`OfflineRecommender.Options` and the stage configurations the server builds) as their
/// defaults, read from those definitions rather than restated: one definition, so a backtest
/// variant is written with exactly the flags `eval` takes, and a changed serving default reaches
/// the backtests too.
struct PipelineOverrides: ParsableArguments {
    @Flag(help: "Skip content candidates.")
    var noContent = false
    @Option(help: "Override homepage weights as α,β,γ.")
    var homepageWeights: String?
    @Option(help: "Override cart weights as α,β,γ.")
    var cartWeights: String?
    @Option(help: "Score normalisation: min-max, max or rank.")
    var normalization: String = OfflineRecommender.Options().normalization.rawValue
    @Option(help: "The content source's own normalisation (default: --normalization).")
    var contentNormalization: String?
    @Option(help: "Popularity decay time constant in days.")
    var popularityTau: Double = PopularityDecay().timeConstant / 86_400
    @Flag(help: "Popularity counts every purchase, not only first purchases.")
    var popularityAllPurchases = false
    @Option(help: "Customer co-occurrence neighbours per item.")
    var customerNeighbours: Int = CoPurchaseIndex.Configuration.customers.neighboursPerItem
    @Option(help: "Customer co-occurrence half-life in days (0 = none).")
    var customerHalfLife: Double = CoPurchaseIndex.Configuration.customers.halfLifeDays ?? 0
    @Option(help: "Customer co-occurrence normalisation: cosine, lift, asym:<alpha>, conditional (default: the serving default).")
    var customerNormalization: String?
    @Option(help: "Customer co-occurrence neighbour scores raised to this power before seeds are summed.")
    var customerExponent: Float = CoPurchaseIndex.Configuration.customers.exponent
    @Option(help: "Basket co-occurrence neighbours per item.")
    var basketNeighbours: Int = CoPurchaseIndex.Configuration.baskets.neighboursPerItem
    @Option(help: "Basket co-occurrence normalisation: cosine, lift, asym:<alpha>, conditional (default: the serving default).")
    var basketNormalization: String?
    @Option(help: "Share of the cart list from the shopper's own earlier purchases.")
    var repeatWeight: Float = CoPurchaseSource.Configuration().repeatWeight
    @Option(help: "Half-life of an earlier purchase's repeat weight in the cart, in days.")
    var repeatHalfLife: Double = CoPurchaseSource.Configuration().repeatHalfLifeDays
    @Option(help: "Share of the cart's co-occurrence evidence from the customer index.")
    var cartCustomerWeight: Float = CoPurchaseSource.Configuration().cartCustomerWeight
    @Option(help: "Extra weight of an earlier purchase whose basket overlapped the cart.")
    var repeatBasketAffinity: Float = CoPurchaseSource.Configuration().repeatBasketAffinity
    @Option(help: "Basket co-occurrence half-life in days (0 = none).")
    var basketHalfLife: Double = CoPurchaseIndex.Configuration.baskets.halfLifeDays ?? 0
    @Option(help: "Basket co-occurrence neighbour scores raised to this power before seeds are summed.")
    var basketExponent: Float = CoPurchaseIndex.Configuration.baskets.exponent
    @Option(help: "Candidates each source proposes for the homepage before the blend (default: the widget's serving default).")
    var homepageCandidatesPerSource: Int?
    @Option(help: "Candidates each source proposes for the cart before the blend (default: the widget's serving default).")
    var cartCandidatesPerSource: Int?
    @Option(
        help: "Homepage γ per shopper, γ·k/(k+n) with n the distinct products they bought: this is k (0 = one γ for everyone; default: the widget's serving default).")
    var homepagePopularityHalving: Float?
    @Option(help: "With --homepage-popularity-halving: count only products bought in the last N days before the window (default: every purchase).")
    var homepagePopularityHalvingDays: Int?
    @Option(help: "Share of the weaker of co-purchase and similar users added to the stronger in the collaborative signal.")
    var collaborativeAgreement: Float = ScoredItem.defaultAgreement
    @Flag(
        inversion: .prefixedNo,
        help: "Stage 1 drops the candidates the exclusion rule would remove (purchases on the homepage, cart items) before the blend.")
    var dropExcludedCandidates = OfflineRecommender.Options().dropExcludedCandidates
    @Option(help: "Similar users: neighbours per user.")
    var similarUsersNeighbours: Int = SimilarUsersIndex.Configuration.homepage.neighbours
    @Option(help: "Similar users: half-life of an event's weight in days.")
    var similarUsersHalfLife: Double = SimilarUsersIndex.Configuration.homepage.halfLifeDays
    @Option(help: "Similar users: a product's score divided by its buyer count to this power (0 = none).")
    var similarUsersPopularityPenalty: Float = SimilarUsersIndex.Configuration.homepage.popularityPenalty
    @Option(help: "Homepage seed half-life in days.")
    var seedHalfLife: Double = CoPurchaseSource.Configuration().seedHalfLifeDays
    @Flag(help: "Leave out the similar-users source.")
    var noSimilarUsers = false
    @Option(help: "item2vec blend weights δ as homepage,cart (e.g. 0.2,0.1); any non-zero weight trains item2vec on the history and adds its source.")
    var item2vecWeights: String?
    @Option(help: "item2vec vector length.")
    var item2vecDimensions: Int = Item2VecTrainer.Configuration().dimensions
    @Option(help: "item2vec epochs over the baskets and shopper sequences.")
    var item2vecEpochs: Int = Item2VecTrainer.Configuration().epochs
    @Option(help: "item2vec skip-gram window.")
    var item2vecWindow: Int = Item2VecTrainer.Configuration().window
    @Option(help: "item2vec negative samples per pair.")
    var item2vecNegatives: Int = Item2VecTrainer.Configuration().negatives
    @Option(help: "item2vec frequent-product subsampling threshold (0 = off).")
    var item2vecSubsampling: Double = Item2VecTrainer.Configuration().subsampling
    @Option(help: "item2vec minimum occurrences for a product to get a vector.")
    var item2vecMinCount: Int = Item2VecTrainer.Configuration().minCount
    @Option(help: "item2vec neighbours kept per product.")
    var item2vecNeighbours: Int = Item2VecIndex.Configuration().neighboursPerItem
    @Option(help: "item2vec neighbour cosines raised to this power before seeds are summed.")
    var item2vecExponent: Float = Item2VecIndex.Configuration().exponent
    @Option(help: "item2vec training seed.")
    var item2vecSeed: UInt64 = Item2VecTrainer.Configuration().seed
    @Option(help: "Share of the homepage's co-purchase evidence from EASE weights fitted on the history (0 = none).")
    var easeWeight: Float = CoPurchaseSource.Configuration().homepageEASEWeight
    @Option(help: "EASE ridge penalty λ.")
    var easeLambda: Float = EASEIndex.Configuration().lambda
    @Option(help: "EASE: products modelled, most customers first.")
    var easeMaxProducts: Int = EASEIndex.Configuration().maxProducts
    @Option(help: "EASE: positive weights kept per product.")
    var easeNeighbours: Int = EASEIndex.Configuration().neighboursPerItem
    @Option(help: "Share of the cart's basket evidence from EASE weights fitted on the history's baskets (0 = none).")
    var cartEaseWeight: Float = CoPurchaseSource.Configuration().cartEASEWeight
    @Option(help: "The baskets' EASE ridge penalty λ.")
    var cartEaseLambda: Float = EASEIndex.Configuration.baskets.lambda

    /// The offline pipeline's options with these overrides laid over them.
    func options() throws -> OfflineRecommender.Options {
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
            normalization: try customerNormalization.map { try Self.parseNormalization($0, flag: "--customer-normalization") }
                ?? CoPurchaseIndex.Configuration.customers.normalization,
            neighboursPerItem: customerNeighbours, halfLifeDays: customerHalfLife > 0 ? customerHalfLife : nil,
            exponent: customerExponent)
        options.basketCoPurchase = CoPurchaseIndex.Configuration(
            normalization: try basketNormalization.map { try Self.parseNormalization($0, flag: "--basket-normalization") }
                ?? CoPurchaseIndex.Configuration.baskets.normalization,
            neighboursPerItem: basketNeighbours,
            halfLifeDays: basketHalfLife > 0 ? basketHalfLife : nil, exponent: basketExponent)
        options.coPurchaseSource = CoPurchaseSource.Configuration(
            seedHalfLifeDays: seedHalfLife, repeatWeight: repeatWeight, repeatHalfLifeDays: repeatHalfLife,
            cartCustomerWeight: cartCustomerWeight, repeatBasketAffinity: repeatBasketAffinity, homepageEASEWeight: easeWeight,
            cartEASEWeight: cartEaseWeight)
        guard easeLambda > 0, cartEaseLambda > 0, easeMaxProducts >= 1, easeNeighbours >= 1 else {
            throw ValidationError("--ease-lambda and --cart-ease-lambda must be positive, --ease-max-products and --ease-neighbours at least 1")
        }
        options.customerEASE = EASEIndex.Configuration(lambda: easeLambda, maxProducts: easeMaxProducts, neighboursPerItem: easeNeighbours)
        options.basketEASE = EASEIndex.Configuration(lambda: cartEaseLambda, maxProducts: easeMaxProducts, neighboursPerItem: easeNeighbours)
        options.useSimilarUsers = !noSimilarUsers
        options.similarUsers = SimilarUsersIndex.Configuration(
            neighbours: similarUsersNeighbours, halfLifeDays: similarUsersHalfLife, popularityPenalty: similarUsersPopularityPenalty)
        if let homepageCandidatesPerSource {
            guard homepageCandidatesPerSource >= 1 else { throw ValidationError("--homepage-candidates-per-source must be at least 1") }
            options.homepageCandidatesPerSource = homepageCandidatesPerSource
        }
        if let cartCandidatesPerSource {
            guard cartCandidatesPerSource >= 1 else { throw ValidationError("--cart-candidates-per-source must be at least 1") }
            options.cartCandidatesPerSource = cartCandidatesPerSource
        }
        if let homepagePopularityHalving {
            guard homepagePopularityHalving >= 0 else { throw ValidationError("--homepage-popularity-halving must be at least 0") }
            options.homepagePopularityShrinkage = homepagePopularityHalving > 0
                ? PopularityShrinkage(halvingPurchases: homepagePopularityHalving, windowDays: homepagePopularityHalvingDays)
                : nil
        } else if homepagePopularityHalvingDays != nil {
            throw ValidationError("--homepage-popularity-halving-days needs --homepage-popularity-halving")
        }
        options.collaborativeAgreement = collaborativeAgreement
        options.dropExcludedCandidates = dropExcludedCandidates
        if let homepageWeights { options.homepageWeights = try Self.parseWeights(homepageWeights) }
        if let cartWeights { options.cartWeights = try Self.parseWeights(cartWeights) }
        if let item2vecWeights {
            let parts = item2vecWeights.split(separator: ",").compactMap { Float($0) }
            guard parts.count == 2, parts.allSatisfy({ $0 >= 0 }) else { throw ValidationError("--item2vec-weights is homepage,cart (each ≥ 0)") }
            options.homepageWeights.item2vec = parts[0]
            options.cartWeights.item2vec = parts[1]
        }
        if options.homepageWeights.item2vec > 0 || options.cartWeights.item2vec > 0 {
            options.item2vec = Item2VecIndex.Configuration(
                training: Item2VecTrainer.Configuration(
                    dimensions: item2vecDimensions, window: item2vecWindow, negatives: item2vecNegatives, epochs: item2vecEpochs,
                    minCount: item2vecMinCount, subsampling: item2vecSubsampling, seed: item2vecSeed),
                neighboursPerItem: item2vecNeighbours, exponent: item2vecExponent)
        }
        return options
    }

    static func parseWeights(_ text: String) throws -> RankingWeights {
        let parts = text.split(separator: ",").compactMap { Float($0) }
        guard parts.count == 3 else { throw ValidationError("weights are α,β,γ") }
        return RankingWeights(content: parts[0], collaborative: parts[1], popularity: parts[2])
    }

    static func parseNormalization(_ text: String, flag: String) throws -> CoPurchaseIndex.Normalization {
        switch text {
        case "cosine": return .cosine
        case "conditional": return .conditionalProbability
        case "lift": return .lift(shrinkage: 5)
        default:
            if text.hasPrefix("asym:"), let a = Float(text.dropFirst(5)) { return .asymmetric(alpha: a) }
            if text.hasPrefix("lift:"), let s = Float(text.dropFirst(5)) { return .lift(shrinkage: s) }
            throw ValidationError("bad \(flag)")
        }
    }
}
