/// Where a candidate came from. Collaborative evidence is split in two so `explain` can show both.
public enum CandidateOrigin: String, Sendable, Hashable, Codable, CaseIterable {
    case content
    case coPurchase = "co_purchase"
    case similarUsers = "similar_users"
    case popularity
    /// Behavioural neighbours from item2vec vectors (`Item2VecSource`); blended with its own
    /// weight (`RankingWeights.item2vec`).
    case item2vec
}

/// One product proposed by one candidate source, with that source's raw score kept for explain.
public struct Candidate: Sendable, Hashable {
    public var productID: ProductID
    public var origin: CandidateOrigin
    public var rawScore: Float

    public init(productID: ProductID, origin: CandidateOrigin, rawScore: Float) {
        self.productID = productID
        self.origin = origin
        self.rawScore = rawScore
    }
}
