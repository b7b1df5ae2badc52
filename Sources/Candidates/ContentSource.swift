import Domain

/// Content candidates: nearest products to the request's query vector (`ShopperContext.queryVector`,
/// built by `PreferenceVector`), filtered inside the search. New products with no history are
/// reachable here as soon as they are upserted into the index.
public struct ContentSource: CandidateSource {
    public let index: any NearestNeighbourSearch
    public var origin: CandidateOrigin { .content }

    public init(index: any NearestNeighbourSearch) {
        self.index = index
    }

    public func candidates(for contexts: [ShopperContext], limit: Int) async throws -> [[Candidate]] {
        contexts.map { context in
            guard let query = context.queryVector, query.count == index.dimension else { return [] }
            var excluding = Set(context.request.cartItems)
            if let anchor = context.request.anchorProductID { excluding.insert(anchor) }
            return index.search(query, k: limit, filter: context.request.filter, excluding: excluding).map {
                Candidate(productID: $0.productID, origin: .content, rawScore: $0.score)
            }
        }
    }
}
