import Domain

/// Stage 3 that writes down what it was handed before handing it on: each list's rerank window,
/// query text and document texts go to a `RerankCandidateLog`, then `inner` reranks as usual (or,
/// with no inner reranker, the lists come back unchanged, as with rerank off).
///
/// The window recorded is the one `CrossEncoderReranker` would score: the first `window`
/// available items of the blended list (`CrossEncoderReranker.gatherAvailableHead`).
public struct RecordingReranker: Reranker {
    public let inner: (any Reranker)?
    public let log: RerankCandidateLog
    public let catalog: any ProductCatalog
    public let queryBuilder: RerankQueryBuilder

    public init(inner: (any Reranker)?, log: RerankCandidateLog, catalog: any ProductCatalog) {
        self.inner = inner
        self.log = log
        self.catalog = catalog
        self.queryBuilder = RerankQueryBuilder(catalog: catalog)
    }

    public func isHistoryDecided(byNewest newest: [Interaction]) -> Bool {
        inner?.isHistoryDecided(byNewest: newest) ?? false
    }

    public func rerank(_ jobs: [RerankJob]) async throws -> RerankOutcome {
        var entries: [RerankCandidateLog.Entry] = []
        entries.reserveCapacity(jobs.count)
        for job in jobs {
            var list = job.list
            let window = CrossEncoderReranker.gatherAvailableHead(&list, window: max(0, job.options.window), catalog: catalog)
            let (query, source) = queryBuilder.query(for: job.context)
            let items = Array(list.prefix(window))
            entries.append(
                RerankCandidateLog.Entry(
                    userID: job.context.request.userID, widget: job.context.request.widget, query: query,
                    querySource: source, items: items,
                    documents: items.map { catalog.product($0.productID)?.rerankDocument ?? $0.productID }))
        }
        log.append(entries)
        if let inner { return try await inner.rerank(jobs) }
        return RerankOutcome(
            lists: jobs.map(\.list),
            reports: jobs.map { RerankReport(windowRequested: $0.options.window, skippedReason: "disabled") })
    }
}
