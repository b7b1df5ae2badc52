import Domain

/// Candidates bought by the shopper's nearest neighbours and not by the shopper. Which widgets ask
/// for them is the widget's policy (`WidgetProfile`: the homepage, which is about a person).
public struct SimilarUsersSource: PerRequestCandidateSource {
    public let index: SimilarUsersIndex
    public var origin: CandidateOrigin { .similarUsers }

    public init(index: SimilarUsersIndex) {
        self.index = index
    }

    public func candidates(for context: ShopperContext, limit: Int) -> [Candidate] {
        guard let user = context.request.userID else { return [] }
        return index.recommendations(for: user, limit: limit).map {
            Candidate(productID: $0.productID, origin: .similarUsers, rawScore: $0.score)
        }
    }
}
