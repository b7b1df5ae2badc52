/// The blend `α·content + β·collaborative + γ·popularity`, on normalised signals.
///
/// Experiments override these per variant; the defaults were tuned offline
/// (docs/benchmarks/offline-quality.md).
public struct RankingWeights: Sendable, Hashable, Codable {
    public var content: Float
    public var collaborative: Float
    public var popularity: Float

    public init(content: Float = 0.3, collaborative: Float = 0.5, popularity: Float = 0.2) {
        self.content = content
        self.collaborative = collaborative
        self.popularity = popularity
    }
}
