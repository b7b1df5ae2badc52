import Domain
import Foundation

/// The lists stage 3 was handed, in the order it was handed them: for each list the rerank query
/// text, and the window's products with their document texts and stage-2 signals, exactly as
/// `CrossEncoderReranker` would score them.
///
/// Filled by `RecordingReranker`; `hybridrank recommend-batch --write-candidates` writes it out so
/// the reranker's trainer learns on the pairs the model will see in service and never rebuilds
/// the query or document text itself (the texts are defined once, by `RerankQueryBuilder` and
/// `Product.rerankDocument`, per the model card).
public final class RerankCandidateLog: @unchecked Sendable {
    /// One list as stage 3 saw it.
    public struct Entry: Sendable {
        public var userID: UserID?
        public var widget: Widget
        /// The cross-encoder's query text; empty when the context gives none (no rerank then).
        public var query: String
        public var querySource: RerankQueryBuilder.Source
        /// The window: the top available items in blended order, their signals as stage 2 set them.
        public var items: [ScoredItem]
        /// `Product.rerankDocument` of each item (the product id when the catalog lacks it).
        public var documents: [String]

        public init(
            userID: UserID?, widget: Widget, query: String, querySource: RerankQueryBuilder.Source, items: [ScoredItem],
            documents: [String]
        ) {
            precondition(items.count == documents.count, "one document per item")
            self.userID = userID
            self.widget = widget
            self.query = query
            self.querySource = querySource
            self.items = items
            self.documents = documents
        }
    }

    private let lock = NSLock()
    /// Guarded by `lock`.
    private var recorded: [Entry] = []

    public init() {}

    public var entries: [Entry] { lock.withLock { recorded } }

    func append(_ batch: [Entry]) {
        lock.withLock { recorded.append(contentsOf: batch) }
    }
}
