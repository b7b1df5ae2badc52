import Domain

/// One list handed to stage 3: the blended list, the shopper it is for (whose context becomes the
/// query text) and how far and how to rerank it. A batch is `[RerankJob]`, so a list, its shopper
/// and its options cannot drift apart the way three parallel arrays could.
public struct RerankJob: Sendable {
    public var list: [ScoredItem]
    public var context: ShopperContext
    public var options: RerankOptions

    public init(list: [ScoredItem], context: ShopperContext, options: RerankOptions) {
        self.list = list
        self.context = context
        self.options = options
    }
}
