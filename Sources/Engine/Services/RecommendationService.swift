import Candidates
import Domain
import Experiments
import Foundation
import Logging
import Ranking
import Rerank
import Rules
import Support

/// A widget request's whole path, top to bottom: widget settings and experiment → shopper state →
/// content query → the four stages → response → exposure. Every widget route ends here.
public final class RecommendationService: Sendable {
    let replica: ReplicaState
    let experiments: ExperimentRouter
    let widgetSettings: WidgetSettingsTable
    let pipeline: RecommendationPipeline
    let exposures: ExposureWriter

    package init(
        replica: ReplicaState, experiments: ExperimentRouter, widgetSettings: WidgetSettingsTable,
        pipeline: RecommendationPipeline, exposures: ExposureWriter
    ) {
        self.replica = replica
        self.experiments = experiments
        self.widgetSettings = widgetSettings
        self.pipeline = pipeline
        self.exposures = exposures
    }

    /// - Parameters:
    ///   - blockList: products the shop never wants in this response (`exclude=` parameter), on
    ///     top of the widget's own block list.
    ///   - pinned: products at fixed 0-based positions (`pin=` parameter); a request pin takes
    ///     its position from a pin of the widget's settings.
    public func recommend(
        _ request: RecommendationRequest, explicitCart: Bool, explain: Bool, requestID: String,
        blockList: Set<ProductID> = [], pinned: [Int: ProductID] = [:]
    ) async throws -> ServedRecommendation {
        let clock = ContinuousClock()
        let started = clock.now
        let now = Date()
        var request = request
        var degraded: [String] = []
        // Category filters match the catalog's spelling whatever the case (`lighting` → `Lighting`).
        if let category = request.filter.category, let spelling = replica.catalog.canonicalCategory(category) {
            request.filter.category = spelling
        }
        // Prices in different currencies are not comparable: a price filter that names no
        // currency holds in the catalog's main one when the catalog mixes currencies.
        if request.filter.currency == nil, request.filter.minPrice != nil || request.filter.maxPrice != nil,
            let main = replica.catalog.mainCurrencyIfMixed
        {
            request.filter.currency = main
        }

        // 1. Options, layer over layer (`OptionLayers`): the widget's settings (built-in defaults,
        //    then the shop's standing settings), then the user's experiment variant (a pure hash
        //    of user id and experiment); the request's exclude/pin join in step 4.
        let settings = widgetSettings.resolved(for: request.widget)
        let (options, selection) = experiments.route(
            widget: request.widget, userID: request.userID, defaults: settings.options, now: now)

        // 2. Shopper state: recent events, purchases and cart (Redis; PostgreSQL when Redis is down),
        //    only what this widget's stages read (`ShopperStateNeeds`).
        let profile = WidgetProfile.of(request.widget)
        let needs = profile.stateNeeds(options: options, explicitCart: explicitCart, reranker: pipeline.reranker)
        let state = await replica.shoppers.state(for: request.userID, needs: needs)
        if state.redisUnavailable { degraded.append("redis_unavailable") }
        if state.postgresUnavailable { degraded.append("postgres_unavailable") }
        if profile.readsStoredCart, !explicitCart { request.cartItems = state.cart }

        // 3. The content query vector for this widget.
        var queryVector: [Float]?
        switch profile.contentQuery {
        case .preference:
            queryVector = replica.indexes.preferenceVector(history: state.history, now: now)
        case .anchor:
            queryVector = request.anchorProductID.flatMap(replica.indexes.vector(for:))
        case .cartMean:
            queryVector = replica.indexes.meanVector(of: request.cartItems)
        case .typedText:
            do {
                queryVector = try await replica.models.embed([request.queryText ?? ""]).first
            } catch {
                degraded.append("bi_encoder_unavailable")
            }
        }
        let shopper = ShopperContext(
            request: request, history: state.history, purchased: state.purchased, queryVector: queryVector, now: now)

        // 4. Stage-4 context: the catalog as of now (one snapshot for the rules and the response)
        //    and popularity for refilling, read only if a list comes up short.
        let catalog = replica.catalog.snapshot()
        let ruleContext = RuleContext(
            shopper: shopper, catalog: catalog,
            blockList: settings.blockList.isEmpty ? blockList : settings.blockList.union(blockList),
            pinned: settings.pinned.isEmpty ? pinned : settings.pinned.merging(pinned) { _, request in request },
            fill: PopularityFillSource(indexes: replica.indexes, limit: request.limit * 3, global: profile.fillsFromGlobalPopularity),
            embeddings: IndexEmbeddingLookup(index: replica.indexes.vectors))

        // 5. The four stages.
        let recommendation = try await pipeline.rank(RankingJob(shopper: shopper, options: options, rules: ruleContext))
        let timings = recommendation.timings
        replica.metrics.recordStage("candidates", milliseconds: timings.candidates)
        replica.metrics.recordStage("scoring", milliseconds: timings.scoring)
        replica.metrics.recordStage("rerank", milliseconds: timings.rerank)
        replica.metrics.recordStage("rules", milliseconds: timings.rules)

        // 6. The listed products, then the exposure (queued; no request waits for PostgreSQL).
        let items = recommendation.items.enumerated().compactMap { position, item -> ServedRecommendation.Item? in
            guard let product = catalog.product(item.productID) else { return nil }
            return ServedRecommendation.Item(product: product, score: item.final, position: position + 1, scored: item)
        }
        let totalMs = started.duration(to: clock.now).inMilliseconds
        exposures.record(
            ExposureRecord(
                requestID: requestID, userID: request.userID, widget: request.widget.rawValue,
                experimentKey: selection?.experimentKey, variantKey: selection?.variantKey,
                items: items.map(\.product.id), latencyMilliseconds: totalMs, createdAt: now))
        return ServedRecommendation(
            requestID: requestID, widget: request.widget.rawValue, selection: selection,
            modelVersions: replica.models.modelVersions, items: items, generatedAt: now, timings: timings,
            totalMilliseconds: totalMs, degraded: degraded,
            notes: explain
                ? [optionLayers(widget: request.widget, settings: settings.settings, selection: selection)] + recommendation.notes
                    + recommendation.removed.map { "\($0.label): \($0.productID)" }
                : nil)
    }

    /// Where this request's options came from, for explain (`OptionLayers.note`).
    func optionLayers(widget: Widget, settings: WidgetSettings, selection: VariantSelection?) -> String {
        var experiment: (key: String, variant: String, parameters: VariantParameters)?
        if let selection,
            let running = experiments.runningExperiments.first(where: { $0.key == selection.experimentKey }),
            running.variants.indices.contains(selection.variantIndex)
        {
            experiment = (selection.experimentKey, selection.variantKey, running.variants[selection.variantIndex].parameters)
        }
        return OptionLayers.note(widget: widget, settings: settings, experiment: experiment)
    }

    /// `GET /v1/recommendations/trending`: the decayed popularity list every replica shares
    /// (Redis; this replica's index when Redis is down), shop-wide or in one category, available
    /// products only. No stage beyond popularity runs and no exposure is logged: the list is the
    /// same for everyone, so it carries no experiment.
    public func trending(category: String?, limit: Int, requestID: String) async -> ServedRecommendation {
        let clock = ContinuousClock()
        let started = clock.now
        let now = Date()
        let spelling = category.map { replica.catalog.canonicalCategory($0) ?? $0 }
        let catalog = replica.catalog.snapshot()
        // Read deeper than `limit`: sold-out and deleted products are skipped.
        let ranked = await replica.indexes.popularityLists.top(limit: limit * 3 + 20, category: spelling, now: now)
        var items: [ServedRecommendation.Item] = []
        for (productID, score) in ranked where items.count < limit {
            guard let product = catalog.product(productID), product.isAvailable else { continue }
            items.append(ServedRecommendation.Item(product: product, score: Float(score), position: items.count + 1))
        }
        let totalMs = started.duration(to: clock.now).inMilliseconds
        var timings = StageTimings()
        timings.candidates = totalMs
        return ServedRecommendation(
            requestID: requestID, widget: "trending", selection: nil, modelVersions: replica.models.modelVersions, items: items,
            generatedAt: now, timings: timings, totalMilliseconds: totalMs, degraded: [], notes: nil)
    }
}
