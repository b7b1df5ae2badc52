import Candidates
import Domain
import Rerank
import Rules
import Scoring

/// Time spent in each stage of one batch, in milliseconds (reported per response and as metrics).
public struct StageTimings: Sendable, Hashable, Codable {
    public var candidates: Double = 0
    public var scoring: Double = 0
    public var rerank: Double = 0
    public var rules: Double = 0

    public init() {}
}

/// One request's ranked list and how long each stage took.
public struct Recommendation: Sendable {
    public var items: [ScoredItem]
    public var timings: StageTimings
    /// Products stage 4 removed, with the rule that removed them (for explain).
    public var removed: [RuleReport.Removal]
    /// Human-readable notes for explain (e.g. the rerank window actually used).
    public var notes: [String]
}

/// The four stages, top to bottom: candidates → scoring → rerank → rules.
///
/// The HTTP widgets and the offline `recommend-batch`/`eval` commands run this same value, so
/// what is measured offline is what is served.
public struct RecommendationPipeline: Sendable {
    public var sources: [any CandidateSource]
    public var scorer: any CandidateScorer
    /// `nil` turns stage 3 off entirely (e.g. no model loaded).
    public var reranker: (any Reranker)?
    /// How much of each blended list goes on to stages 3 and 4: the best `rankingDepth` items by
    /// blended score, or `2 · limit + rerank window` when that is more (default 60).
    ///
    /// The sources propose up to 4 × 100 candidates so that normalisation and blending see the
    /// whole neighbourhood, but a widget shows 10: the stock and exclusion checks, the boosts and
    /// the diversity pass need only the head, and walking all of it (twice: before and after the
    /// rerank) cost more than blending on a cached product page. What the cut can change: an item
    /// below the depth can no longer be lifted into the widget by a boost (at most +32% with the
    /// default promotion and new-arrival boosts), and when the rules remove nearly all of the head
    /// the fill rule tops the list up from popularity instead of from deeper candidates.
    public var rankingDepth: Int

    public init(sources: [any CandidateSource], scorer: any CandidateScorer, reranker: (any Reranker)?, rankingDepth: Int = 60) {
        self.sources = sources
        self.scorer = scorer
        self.reranker = reranker
        self.rankingDepth = rankingDepth
    }

    /// Ranks a batch of requests.
    /// - Parameters:
    ///   - contexts: one per request.
    ///   - options: one per request (the experiment variant's, or the defaults).
    ///   - ruleContexts: one per request: catalog, block list, pins and fill lists for stage 4.
    public func recommend(
        _ contexts: [ShopperContext],
        options: [PipelineOptions],
        ruleContexts: [RuleContext]
    ) async throws -> [Recommendation] {
        precondition(contexts.count == options.count && contexts.count == ruleContexts.count)
        let clock = ContinuousClock()
        var timings = StageTimings()

        // Stage 1: every source proposes candidates for every request.
        var start = clock.now
        let perSourceLimit = options.map(\.candidatesPerSource).max() ?? 0
        var merged = [[Candidate]](repeating: [], count: contexts.count)
        for source in sources where Self.isBlended(source.origin, options: options) {
            let lists = try await source.candidates(for: contexts, limit: perSourceLimit)
            // A source's non-finite score (a degenerate similarity) must not poison the blend;
            // a list without one (nearly always) is appended as it is, not copied through a filter.
            for (index, list) in lists.enumerated() {
                if list.allSatisfy({ $0.rawScore.isFinite }) {
                    merged[index].append(contentsOf: list)
                } else {
                    merged[index].append(contentsOf: list.filter { $0.rawScore.isFinite })
                }
            }
        }
        timings.candidates = Self.milliseconds(since: start, clock: clock)

        // Stage 2: normalise per source and blend with the variant's α/β/γ.
        start = clock.now
        let depths = contexts.indices.map { index in
            max(rankingDepth, 2 * contexts[index].request.limit + options[index].rerank.window)
        }
        var lists = scorer.score(merged, weights: options.map(\.weights), depths: depths)
        timings.scoring = Self.milliseconds(since: start, clock: clock)

        // Stage 4's filters (stock, exclusions) run before stage 3, so the rerank window is spent
        // on servable items. They read the same rule context (one catalog snapshot per request)
        // and the rerank only reorders, so stage 4 continues from the boosts on.
        var reports = [RuleReport](repeating: RuleReport(), count: lists.count)
        for index in lists.indices {
            reports[index] = RuleChain.filters(options: options[index].rules).apply(to: &lists[index], context: ruleContexts[index])
        }

        // Stage 3: the cross-encoder rescoring the head of each list.
        start = clock.now
        var notes = [[String]](repeating: [], count: contexts.count)
        if let reranker, options.contains(where: { $0.rerank.window > 0 }) {
            let outcome = try await reranker.rerankReporting(lists, contexts: contexts, options: options.map(\.rerank))
            lists = outcome.lists
            for (index, report) in outcome.reports.enumerated() { notes[index].append(report.note) }
        }
        timings.rerank = Self.milliseconds(since: start, clock: clock)

        // Stage 4: business rules, then cut to the requested length.
        start = clock.now
        for index in lists.indices {
            let report = RuleChain(options: options[index].rules, filtersApplied: true)
                .apply(to: &lists[index], context: ruleContexts[index])
            reports[index].removed.append(contentsOf: report.removed)
            let limit = contexts[index].request.limit
            if lists[index].count > limit { lists[index].removeSubrange(limit...) }
        }
        timings.rules = Self.milliseconds(since: start, clock: clock)

        return lists.indices.map { index in
            Recommendation(items: lists[index], timings: timings, removed: reports[index].removed, notes: notes[index])
        }
    }

    /// Whether some request of the batch blends `origin`'s signal. Only item2vec has a weight of
    /// its own (δ, default 0): with δ = 0 everywhere its source is not asked, since its candidates
    /// could only trail the list at score 0 — and the pipeline serves exactly what it served
    /// before item2vec existed. The other origins share α/β/γ and are always asked.
    static func isBlended(_ origin: CandidateOrigin, options: [PipelineOptions]) -> Bool {
        origin != .item2vec || options.contains { $0.weights.item2vec > 0 }
    }

    private static func milliseconds(since start: ContinuousClock.Instant, clock: ContinuousClock) -> Double {
        let elapsed = start.duration(to: clock.now)
        return Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
    }
}
