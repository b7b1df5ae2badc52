/// The blend `α·content + β·collaborative + γ·popularity + δ·item2vec`, on normalised signals.
///
/// Experiments override these per variant; the defaults were tuned offline
/// (docs/benchmarks/offline-quality.md, docs/QUALITY.md).
/// δ (`item2vec`) is 0 unless an item2vec source is configured: the term is then absent.
public struct RankingWeights: Sendable, Hashable, Codable {
    public var content: Float
    public var collaborative: Float
    public var popularity: Float
    /// Weight of the item2vec signal (`CandidateOrigin.item2vec`); 0 = not blended.
    public var item2vec: Float

    public init(content: Float = 0.3, collaborative: Float = 0.5, popularity: Float = 0.2, item2vec: Float = 0) {
        self.content = content
        self.collaborative = collaborative
        self.popularity = popularity
        self.item2vec = item2vec
    }

    private enum CodingKeys: String, CodingKey {
        case content, collaborative, popularity, item2vec
    }

    /// `item2vec` may be absent (weights stored before it existed mean 0).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        content = try container.decode(Float.self, forKey: .content)
        collaborative = try container.decode(Float.self, forKey: .collaborative)
        popularity = try container.decode(Float.self, forKey: .popularity)
        item2vec = try container.decodeIfPresent(Float.self, forKey: .item2vec) ?? 0
    }

    /// `item2vec` only when set, so documents written without it read the same.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(content, forKey: .content)
        try container.encode(collaborative, forKey: .collaborative)
        try container.encode(popularity, forKey: .popularity)
        if item2vec != 0 { try container.encode(item2vec, forKey: .item2vec) }
    }
}
