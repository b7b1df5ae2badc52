import Domain
import Rerank
import Rules
import Scoring

/// Everything that makes one widget what it is, in one place: which candidate sources propose,
/// what the content query is, which rule defaults hold, what shopper state the request reads and
/// how a short list is filled. The pipeline, the request service and the offline evaluation all
/// read a widget's policy from here; the stages themselves only know how, not for whom.
///
/// What stays in a stage: how `CoPurchaseSource` seeds per widget (cart items, the anchor, or the
/// shopper's decayed purchases), because that is how the co-purchase index is read, not whether.
public struct WidgetProfile: Sendable {
    /// Where the content source's query vector comes from.
    public enum ContentQuery: Sendable, Hashable {
        /// The shopper's decayed preference vector over their history (`PreferenceVector.user`).
        case preference
        /// The anchor product's own vector.
        case anchor
        /// The mean of the cart items' vectors.
        case cartMean
        /// The typed query, embedded by the bi-encoder (the caller owns the encoder).
        case typedText
    }

    public let widget: Widget
    /// The candidate sources asked for this widget; the pipeline does not call the others.
    public let origins: Set<CandidateOrigin>
    public let contentQuery: ContentQuery
    /// Whether a short list may be topped up from shop-wide popularity (never for search: a
    /// query's results are not padded with unrelated best-sellers).
    public let fillsFromGlobalPopularity: Bool
    /// Whether the request reads the shopper's stored cart when it lists no items itself.
    public let readsStoredCart: Bool
    /// Whether the stages read the shopper's whole history: the homepage's preference vector and
    /// co-purchase seeds, the cart's repeat purchases.
    public let readsWholeHistory: Bool

    /// The profile of `widget`.
    public static func of(_ widget: Widget) -> WidgetProfile {
        switch widget {
        case .homepage: homepage
        case .product: product
        case .cart: cart
        case .frequentlyBoughtTogether: frequentlyBoughtTogether
        case .search: search
        }
    }

    /// Discovery for a person: every source, the neighbours' purchases included.
    public static let homepage = WidgetProfile(
        widget: .homepage, origins: [.content, .coPurchase, .similarUsers, .popularity, .item2vec], contentQuery: .preference,
        fillsFromGlobalPopularity: true, readsStoredCart: false, readsWholeHistory: true)
    /// Items like the anchor and bought with it, and nothing else until they run out: shop-wide
    /// popularity is not a candidate here (a bestseller of another category would otherwise take
    /// a slot near the top on its popularity alone), only the fill once related items are
    /// exhausted. Similar users are about a person, not a product.
    public static let product = WidgetProfile(
        widget: .product, origins: [.content, .coPurchase, .item2vec], contentQuery: .anchor,
        fillsFromGlobalPopularity: true, readsStoredCart: false, readsWholeHistory: false)
    /// What completes the basket.
    public static let cart = WidgetProfile(
        widget: .cart, origins: [.content, .coPurchase, .popularity, .item2vec], contentQuery: .cartMean,
        fillsFromGlobalPopularity: true, readsStoredCart: true, readsWholeHistory: true)
    /// Co-purchase first, similar products only after every co-purchased one.
    public static let frequentlyBoughtTogether = WidgetProfile(
        widget: .frequentlyBoughtTogether, origins: [.content, .coPurchase, .popularity, .item2vec], contentQuery: .anchor,
        fillsFromGlobalPopularity: true, readsStoredCart: false, readsWholeHistory: false)
    /// What matches the typed query, nothing else: no popularity, co-purchase or neighbours.
    public static let search = WidgetProfile(
        widget: .search, origins: [.content], contentQuery: .typedText,
        fillsFromGlobalPopularity: false, readsStoredCart: false, readsWholeHistory: false)

    /// The service defaults adjusted for this widget, before widget settings and any experiment
    /// variant apply:
    /// - homepage: discovery, so products the user already bought are excluded; weights tuned on task A;
    ///   each source proposes `homepageCandidatesPerSource` candidates; γ shrinks per shopper by
    ///   `homepagePopularityShrinkage`;
    /// - cart: weights tuned on task C (basket completion);
    /// - frequently bought together: co-purchase evidence dominates, similarity is the fallback;
    /// - product / frequently bought together / cart: the anchor and cart items are excluded;
    /// - product: the diversity cap leaves the anchor's own category alone, so similar items are
    ///   not pushed out by unrelated popular filler (the cap still spreads the other categories);
    /// - cart / frequently bought together: what the shopper bought in the last day is not
    ///   suggested again;
    /// - search: the cross-encoder's contract is purchase context, not a typed query, so rerank
    ///   is off, and filtered results are not refilled from unfiltered popularity.
    public func defaultOptions(from base: PipelineOptions) -> PipelineOptions {
        var options = base
        switch widget {
        case .homepage:
            options.weights = .homepageDefault
            options.rules.excludePurchased = true
            options.candidatesPerSource = Self.homepageCandidatesPerSource
            options.popularityShrinkage = Self.homepagePopularityShrinkage
        case .cart:
            options.weights = .cartDefault
            options.rules.excludeContext = true
            options.rules.excludeRecentPurchasesDays = Self.recentPurchaseExclusionDays
        case .frequentlyBoughtTogether:
            options.weights = RankingWeights(content: 0.05, collaborative: 1, popularity: 0)
            options.rules.excludeContext = true
            options.rules.excludeRecentPurchasesDays = Self.recentPurchaseExclusionDays
        case .product:
            options.rules.excludeContext = true
            options.rules.diversityExemptsAnchorCategory = true
        case .search:
            options.rerank.window = 0
            options.rules.fill = false
        }
        return options
    }

    /// Candidates each source proposes for the homepage (the other widgets keep
    /// `PipelineOptions.candidatesPerSource`, 100). A shopper's own purchases rank high in the
    /// customer co-occurrence of their history and are dropped before the blend
    /// (`RecommendationPipeline.dropsExcludedCandidates`), so a heavy buyer had few servable
    /// co-purchase candidates left of 100; 200 lifted task A on every backtest window (issue #20,
    /// docs/QUALITY.md). A widget setting or variant's `candidates_per_source` still overrides it.
    public static let homepageCandidatesPerSource = 200

    /// How the homepage's γ shrinks with the shopper's purchases (`PopularityShrinkage`); `nil` =
    /// the same γ for every shopper. Measured on the three backtest windows (issue #20,
    /// docs/QUALITY.md).
    public static let homepagePopularityShrinkage: PopularityShrinkage? = nil

    /// How far back the cart and frequently-bought-together widgets look for purchases not to
    /// suggest again (`exclude_recent_purchases_days` overrides it per widget or variant). One
    /// day, not weeks: the cart deliberately suggests restocking what a wholesale buyer bought
    /// before (`CoPurchaseSource.repeatWeight`), which a long window would switch off; what was
    /// bought today is never what the cart should suggest first.
    public static let recentPurchaseExclusionDays = 1

    /// What one request of this widget reads of the shopper's hot state under `options`.
    ///
    /// Who reads what (keep in step with the stages):
    /// - the history: the homepage's preference vector and co-purchase seeds, and the cart's repeat
    ///   purchases, read all of it; the rerank query (any widget with a rerank window) reads only its
    ///   newest events, until `Reranker.isHistoryDecided(byNewest:)`; nothing else does;
    /// - the purchased set: the exclusion rule, when `excludePurchased` is on; the history also when
    ///   recent purchases are excluded (`excludeRecentPurchasesDays`, the cart and FBT defaults);
    /// - the cart: the cart widget, unless the request lists its items.
    public func stateNeeds(options: PipelineOptions, explicitCart: Bool, reranker: (any Reranker)?) -> ShopperStateNeeds {
        let history: ShopperStateNeeds.History
        if readsWholeHistory {
            history = .whole
        } else if options.rules.excludeRecentPurchasesDays > 0 {
            history = .whole
        } else if let reranker, options.rerank.window > 0 {
            history = .newest(
                first: ShopperStateNeeds.newestEventsFirstRead, isDecided: { reranker.isHistoryDecided(byNewest: $0) })
        } else {
            history = .none
        }
        return ShopperStateNeeds(
            history: history, purchased: options.rules.excludePurchased, cart: readsStoredCart && !explicitCart)
    }
}
