import Domain

/// Candidates bought by the shopper's nearest neighbours and not by the shopper (homepage only:
/// the other widgets are about a product or a basket, not a person).
public struct SimilarUsersSource: CandidateSource {
    public let index: SimilarUsersIndex
    public var origin: CandidateOrigin { .similarUsers }

    public init(index: SimilarUsersIndex) {
        self.index = index
    }

    public func candidates(for contexts: [ShopperContext], limit: Int) async throws -> [[Candidate]] {
        contexts.map { context in
            guard context.request.widget == .homepage, let user = context.request.userID else { return [] }
            let scores = index.recommendations(for: user)
            var heap = TopKHeap(capacity: limit)
            var ids: [ProductID] = []
            ids.reserveCapacity(scores.count)
            for (product, score) in scores {
                ids.append(product)
                heap.push(score, Int32(ids.count - 1))
            }
            return heap.sortedDescending().map { Candidate(productID: ids[Int($0.ordinal)], origin: .similarUsers, rawScore: $0.score) }
        }
    }
}
