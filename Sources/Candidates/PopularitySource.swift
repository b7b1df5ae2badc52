import Domain

/// Candidates from time-decayed popularity: per category when the request filters on one,
/// global otherwise. Every request gets them, so a user with no history still gets a list.
public struct PopularitySource: PerRequestCandidateSource {
    public let index: PopularityIndex
    public var origin: CandidateOrigin { .popularity }

    public init(index: PopularityIndex) {
        self.index = index
    }

    public func candidates(for context: ShopperContext, limit: Int) -> [Candidate] {
        index.top(limit, category: context.request.filter.category, now: context.now).map {
            Candidate(productID: $0.productID, origin: .popularity, rawScore: Float($0.score))
        }
    }
}
