import Candidates
import Domain
import Rerank
import Rules
import Scoring
import Support

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
    /// Whether stage 1 drops the candidates the exclusion rule would remove anyway (the shopper's
    /// purchases when `rules.excludePurchased`, the cart items and anchor when
    /// `rules.excludeContext`) before stage 2 normalises and blends: otherwise a source's best
    /// raw score can belong to a product that can never be shown (on the homepage the customer
    /// co-occurrence of a shopper's own purchases ranks them first), which scales that source's
    /// servable candidates down against the others, and such products take places in the ranking
    /// depth. On by default (issue #20, docs/QUALITY.md: with the homepage's 200 candidates per source
    /// it lifts homepage NDCG@10 on the mean of the three backtest windows, every window's interval
    /// above 1); off is the behaviour before it. Explain no longer lists such products as removed.
    public var dropsExcludedCandidates: Bool

    public init(
        sources: [any CandidateSource], scorer: any CandidateScorer, reranker: (any Reranker)?, rankingDepth: Int = 60,
        dropsExcludedCandidates: Bool = true
    ) {
        self.sources = sources
        self.scorer = scorer
        self.reranker = reranker
        self.rankingDepth = rankingDepth
        self.dropsExcludedCandidates = dropsExcludedCandidates
    }

    /// Ranks one list (a widget request).
    public func rank(_ job: RankingJob) async throws -> Recommendation {
        try await rank([job])[0]
    }

    /// Ranks a batch of lists (the offline evaluation's batches); one recommendation per job, in order.
    public func rank(_ jobs: [RankingJob]) async throws -> [Recommendation] {
        let clock = ContinuousClock()
        var timings = StageTimings()
        let contexts = jobs.map(\.shopper)

        // Stage 1: every source proposes candidates for the jobs whose widget asks for it.
        var start = clock.now
        let perSourceLimit = jobs.map(\.options.candidatesPerSource).max() ?? 0
        var merged = [[Candidate]](repeating: [], count: jobs.count)
        for source in sources {
            let asking = jobs.indices.filter { Self.asks(source.origin, for: jobs[$0]) }
            guard !asking.isEmpty else { continue }
            let lists = try await source.candidates(
                for: asking.count == jobs.count ? contexts : asking.map { contexts[$0] }, limit: perSourceLimit)
            // A source's non-finite score (a degenerate similarity) must not poison the blend;
            // a list without one (nearly always) is appended as it is, not copied through a filter.
            for (list, index) in zip(lists, asking) {
                if list.allSatisfy({ $0.rawScore.isFinite }) {
                    merged[index].append(contentsOf: list)
                } else {
                    merged[index].append(contentsOf: list.filter { $0.rawScore.isFinite })
                }
            }
        }
        if dropsExcludedCandidates {
            for index in jobs.indices {
                let excluded = Self.excludedCandidates(for: jobs[index])
                if !excluded.isEmpty { merged[index].removeAll { excluded.contains($0.productID) } }
            }
        }
        timings.candidates = start.duration(to: clock.now).inMilliseconds

        // Stage 2: normalise per source and blend with the variant's α/β/γ (γ per shopper when
        // the options shrink it).
        start = clock.now
        var lists = jobs.indices.map { index in
            let job = jobs[index]
            return scorer.score(
                request: merged[index], weights: job.options.weights(for: job.shopper),
                depth: max(rankingDepth, 2 * job.shopper.request.limit + job.options.rerank.window))
        }
        timings.scoring = start.duration(to: clock.now).inMilliseconds

        // Stage 4a, eligibility (stock, exclusions), runs before stage 3 so the rerank window is
        // spent on servable items; the rerank only reorders, so it need not run again after.
        var reports = [RuleReport](repeating: RuleReport(), count: lists.count)
        for index in lists.indices {
            reports[index] = RuleChain.eligibility(options: jobs[index].options.rules)
                .apply(to: &lists[index], context: jobs[index].rules)
        }

        // Stage 3: the cross-encoder rescoring the head of each list.
        start = clock.now
        var notes = [[String]](repeating: [], count: jobs.count)
        if let reranker, jobs.contains(where: { $0.options.rerank.window > 0 }) {
            let outcome = try await reranker.rerank(
                jobs.indices.map { RerankJob(list: lists[$0], context: jobs[$0].shopper, options: jobs[$0].options.rerank) })
            lists = outcome.lists
            for (index, report) in outcome.reports.enumerated() { notes[index].append(report.note) }
        }
        timings.rerank = start.duration(to: clock.now).inMilliseconds

        // Stage 4b, arrangement (boosts, diversity, fill, pins), then the cut to the requested length.
        start = clock.now
        for index in lists.indices {
            let report = RuleChain.arrangement(options: jobs[index].options.rules)
                .apply(to: &lists[index], context: jobs[index].rules)
            reports[index].removed.append(contentsOf: report.removed)
            let limit = jobs[index].shopper.request.limit
            if lists[index].count > limit { lists[index].removeSubrange(limit...) }
        }
        timings.rules = start.duration(to: clock.now).inMilliseconds

        return lists.indices.map { index in
            Recommendation(items: lists[index], timings: timings, removed: reports[index].removed, notes: notes[index])
        }
    }

    /// What the exclusion rule of `job` would remove whatever its score
    /// (`ExclusionRule.unconditionalExclusions`).
    static func excludedCandidates(for job: RankingJob) -> Set<ProductID> {
        ExclusionRule(options: job.options.rules).unconditionalExclusions(for: job.shopper)
    }

    /// Whether `job` asks the source of `origin`: its widget uses that source (`WidgetProfile`) and,
    /// for item2vec, its options blend it. Only item2vec has a weight of its own (δ, default 0):
    /// with δ = 0 its source is not asked, since its candidates could only trail the list at
    /// score 0 — so the pipeline serves exactly what it served before item2vec existed.
    static func asks(_ origin: CandidateOrigin, for job: RankingJob) -> Bool {
        job.profile.origins.contains(origin) && (origin != .item2vec || job.options.weights.item2vec > 0)
    }
}
