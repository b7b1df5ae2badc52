import Candidates
import Domain

/// A candidate source that proposes the same list, cut to the asked limit, for every shopper:
/// pipeline tests that need one origin's candidates without any index behind them.
public struct FixedCandidateSource: CandidateSource {
    public let origin: CandidateOrigin
    public let list: [Candidate]

    public init(origin: CandidateOrigin, list: [Candidate]) {
        self.origin = origin
        self.list = list
    }

    public func candidates(for contexts: [ShopperContext], limit: Int) async throws -> [[Candidate]] {
        contexts.map { _ in Array(list.prefix(limit)) }
    }
}
