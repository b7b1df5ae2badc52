import Domain
import Foundation
import Support

/// Stage 3: rescores the head of each blended list with a cross-encoder.
///
/// For each list: take the top `window` available items (unavailable ones move just below the
/// window; the stock rule drops them later), build the query text from the shopper's context
/// (`RerankQueryBuilder`, the model's input contract) and each product's document text
/// (`Product.rerankDocument`), look every (context, product, model) logit up in the score cache,
/// score the misses of the whole batch in ONE call to the `PairScorer` (identical pairs across
/// lists are scored once), store them, combine logit and blended score per `RerankCombination`,
/// and re-sort the window. The tail below the window is left as it was, and stays below.
///
/// Latency budget: with `RerankOptions.budgetMilliseconds` and a measured cost per pair (EWMA over
/// past calls, `PairCostEstimator`), the window shrinks to the longest head whose uncached pairs
/// fit the budget (cached pairs are free). The budget is per list; a batch of several requests
/// shares one model call. An unknown cost (no call measured yet, no prior) never shrinks.
///
/// A failing scorer degrades: lists that needed the model stay in blended order and their report
/// says "model_error"; fully cached lists are still reranked. Only cancellation is rethrown.
public struct CrossEncoderReranker: Reranker {
    public let scorer: any PairScorer
    public let catalog: any ProductCatalog
    public let cache: (any RerankScoreCache)?
    public let costEstimator: PairCostEstimator
    public let queryBuilder: RerankQueryBuilder
    /// The `k` of reciprocal-rank fusion (`1 / (k + rank)`, ranks from 1); 60 is the usual choice.
    public var rrfK: Float

    public init(
        scorer: any PairScorer,
        catalog: any ProductCatalog,
        cache: (any RerankScoreCache)? = nil,
        costEstimator: PairCostEstimator = PairCostEstimator(),
        rrfK: Float = 60
    ) {
        self.scorer = scorer
        self.catalog = catalog
        self.cache = cache
        self.costEstimator = costEstimator
        self.queryBuilder = RerankQueryBuilder(catalog: catalog)
        self.rrfK = rrfK
    }

    /// The history reaches the cross-encoder only through the query text.
    public func isHistoryDecided(byNewest newest: [Interaction]) -> Bool {
        queryBuilder.isDecided(byNewest: newest)
    }

    /// One list's work: its window's cache keys and products (a product's document text is built
    /// only if its score is not cached).
    private struct Plan {
        var list: Int
        var query: String
        var keys: [String]
        var products: [ProductID]
        /// Index of each key in the batch's flat key array.
        var firstKey: Int
    }

    public func rerank(_ jobs: [RerankJob]) async throws -> RerankOutcome {
        let modelVersion = scorer.modelVersion
        var reports = jobs.map { RerankReport(windowRequested: $0.options.window, modelVersion: modelVersion) }

        // 1. Plan every list's window and collect the cache keys of the whole batch.
        var lists = jobs.map(\.list)
        var plans: [Plan] = []
        var allKeys: [String] = []
        for index in lists.indices {
            guard jobs[index].options.window > 0 else {
                reports[index].skippedReason = "disabled"
                continue
            }
            let window = Self.gatherAvailableHead(&lists[index], window: jobs[index].options.window, catalog: catalog)
            guard window > 0 else { continue }
            let (query, source) = queryBuilder.query(for: jobs[index].context)
            reports[index].querySource = source
            guard !query.isEmpty else {
                reports[index].skippedReason = "no_context"
                continue
            }
            let keyPrefix = RerankCacheKey.prefix(modelVersion: modelVersion, contextHash: RerankCacheKey.contextHash(query: query))
            var plan = Plan(list: index, query: query, keys: [], products: [], firstKey: allKeys.count)
            for item in lists[index].prefix(window) {
                plan.keys.append(RerankCacheKey.make(prefix: keyPrefix, productID: item.productID))
                plan.products.append(item.productID)
            }
            allKeys.append(contentsOf: plan.keys)
            plans.append(plan)
        }
        guard !plans.isEmpty else { return RerankOutcome(lists: lists, reports: reports) }

        // 2. One cache round trip for the batch.
        var logits: [Float?] = allKeys.isEmpty ? [] : (await cache?.get(keys: allKeys) ?? Array(repeating: nil, count: allKeys.count))
        if logits.count != allKeys.count { logits = Array(repeating: nil, count: allKeys.count) }

        // 3. Size each window (budget) and collect the misses, each distinct key once.
        var windows: [Int] = []
        var pairs: [(query: String, document: String)] = []
        var pairKeys: [String] = []
        var pairIndexByKey: [String: Int] = [:]
        for plan in plans {
            var window = plan.keys.count
            let options = jobs[plan.list].options
            if let budget = options.budgetMilliseconds, let affordable = costEstimator.affordablePairs(budgetMilliseconds: budget) {
                var misses = 0
                var fitting = 0
                for offset in 0..<window {
                    if logits[plan.firstKey + offset] == nil { misses += 1 }
                    if misses > affordable { break }
                    fitting = offset + 1
                }
                if fitting < window {
                    window = fitting
                    reports[plan.list].shrunkForBudget = true
                }
            }
            windows.append(window)
            for offset in 0..<window where logits[plan.firstKey + offset] == nil {
                let key = plan.keys[offset]
                if pairIndexByKey[key] == nil {
                    pairIndexByKey[key] = pairs.count
                    let product = plan.products[offset]
                    pairs.append((query: plan.query, document: catalog.product(product)?.rerankDocument ?? product))
                    pairKeys.append(key)
                }
            }
        }

        // 4. One model call for every miss of the batch.
        var scored: [Float]? = []
        if !pairs.isEmpty {
            let clock = ContinuousClock()
            let start = clock.now
            do {
                let result = try await scorer.score(pairs: pairs)
                scored = result.count == pairs.count ? result : nil
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                scored = nil
            }
            if let scored {
                let elapsed = start.duration(to: clock.now)
                costEstimator.record(
                    pairs: pairs.count,
                    milliseconds: elapsed.inMilliseconds
                )
                if let cache { await cache.set(Array(zip(pairKeys, scored))) }
            }
        }

        // 5. Combine and re-sort each window.
        for (plan, window) in zip(plans, windows) {
            var windowLogits: [Float] = []
            windowLogits.reserveCapacity(window)
            var hits = 0
            var failed = false
            for offset in 0..<window {
                if let cached = logits[plan.firstKey + offset] {
                    hits += 1
                    windowLogits.append(cached)
                } else if let scored, let pairIndex = pairIndexByKey[plan.keys[offset]] {
                    windowLogits.append(scored[pairIndex])
                } else {
                    failed = true
                    break
                }
            }
            if failed {
                reports[plan.list].skippedReason = "model_error"
                continue
            }
            reports[plan.list].windowUsed = window
            reports[plan.list].cacheHits = hits
            reports[plan.list].modelPairs = window - hits
            guard window > 0 else { continue }
            combine(&lists[plan.list], window: window, logits: windowLogits, options: jobs[plan.list].options)
        }
        return RerankOutcome(lists: lists, reports: reports)
    }

    /// Moves products the catalog says are unavailable (deleted, out of stock) out of the head, to
    /// just below it, so the model's window holds `window` products that can be shown: the stock
    /// rule would drop the others after the model had paid for them. Reads the facts an item
    /// carries (the pipeline's stock rule attached them from the request's snapshot), else asks
    /// `catalog`.
    /// - Returns: the window, `min(window, available products)`.
    static func gatherAvailableHead(_ list: inout [ScoredItem], window: Int, catalog: any ProductCatalog) -> Int {
        var head: [ScoredItem] = []
        var parked: [ScoredItem] = []
        var index = 0
        while index < list.count, head.count < window {
            if (list[index].facts ?? catalog.facts(list[index].productID))?.availability == .available {
                head.append(list[index])
            } else {
                parked.append(list[index])
            }
            index += 1
        }
        if !parked.isEmpty { list = head + parked + list[index...] }
        return head.count
    }

    /// Sets `rerankLogit` and `final` for the first `window` items and re-sorts them.
    /// - additive: `final = blended + weight · sigmoid(logit)`, which keeps the window above the
    ///   tail (every window item's blended is at least every tail item's);
    /// - replace: `final = top tail score + sigmoid(logit)`: logit order inside the window;
    /// - rrf: `final = top tail score + 1/(k + blended rank) + 1/(k + logit rank)`.
    func combine(_ list: inout [ScoredItem], window: Int, logits: [Float], options: RerankOptions) {
        let tailTop = list.count > window ? list[window...].map(\.final).max() ?? 0 : 0
        var logitRank = [Int](repeating: 0, count: window)
        if options.combination == .reciprocalRank {
            let order = (0..<window).sorted { logits[$0] != logits[$1] ? logits[$0] > logits[$1] : $0 < $1 }
            for (rank, index) in order.enumerated() { logitRank[index] = rank + 1 }
        }
        for offset in 0..<window {
            let logit = logits[offset]
            list[offset].rerankLogit = logit
            switch options.combination {
            case .additive:
                list[offset].final = list[offset].blended + options.weight * Self.sigmoid(logit)
            case .replace:
                list[offset].final = tailTop + Self.sigmoid(logit)
            case .reciprocalRank:
                list[offset].final = tailTop + 1 / (rrfK + Float(offset + 1)) + 1 / (rrfK + Float(logitRank[offset]))
            }
        }
        let order = (0..<window).sorted { lhs, rhs in
            list[lhs].final != list[rhs].final ? list[lhs].final > list[rhs].final : lhs < rhs
        }
        let head = order.map { list[$0] }
        list.replaceSubrange(0..<window, with: head)
    }

    static func sigmoid(_ x: Float) -> Float {
        1 / (1 + exp(-x))
    }
}
