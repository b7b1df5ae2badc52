/// A product moving through stages 2–4, carrying every component for `explain`.
public struct ScoredItem: Sendable, Hashable {
    public var productID: ProductID
    /// Normalised per-source signals in [0, 1] (0 when the source did not propose the item).
    public var content: Float = 0
    public var coPurchase: Float = 0
    public var similarUsers: Float = 0
    public var popularity: Float = 0
    /// The item2vec neighbour signal (0 unless an item2vec source runs).
    public var item2vec: Float = 0
    /// Raw scores as the sources returned them, for explanation.
    public var rawScores = OriginScores()
    /// `α·content + β·collaborative + γ·popularity + δ·item2vec`.
    public var blended: Float = 0
    /// Cross-encoder logit, when the item was inside the rerank window.
    public var rerankLogit: Float?
    /// The score after rerank combination and rule boosts; the list is sorted by it.
    public var final: Float = 0
    /// Rules that touched the item, in order ("boost:promotion", "pinned", ...).
    public var rulesFired: [String] = []
    /// The product's rule facts from the request's catalog snapshot (`nil` until a rule needs
    /// them): the stock rule looks them up once per item and the rerank window, the boosts,
    /// diversity and fill read them from here, instead of one catalog look-up per item per rule.
    /// They belong to one request; they are not carried to another.
    public var facts: ProductFacts?

    public init(productID: ProductID) {
        self.productID = productID
    }

    /// Collaborative evidence combined: the stronger of co-purchase and similar users,
    /// plus a share of the weaker, so agreement between the two counts for more.
    public var collaborative: Float { Self.collaborative(coPurchase: coPurchase, similarUsers: similarUsers) }

    /// `collaborative` from the two signals (stage 2 blends before it makes items): the stronger
    /// plus `agreement` × the weaker, capped at 1.
    @inlinable
    public static func collaborative(coPurchase: Float, similarUsers: Float, agreement: Float = defaultAgreement) -> Float {
        let strong = max(coPurchase, similarUsers)
        let weak = min(coPurchase, similarUsers)
        return min(1, strong + agreement * weak)
    }

    /// The share of the weaker collaborative signal added to the stronger one.
    public static let defaultAgreement: Float = 0.25
}
