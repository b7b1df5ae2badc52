import Domain
import Rules

/// The fill rule's popularity lists, read from the live indexes when the rule asks (a list the
/// other rules left short), not built for every category on every request.
struct PopularityFillSource: FillSource {
    let indexes: LiveIndexes
    /// How many products each list offers (3 × the request's limit).
    let limit: Int
    /// Whether the shop-wide list may be used (not for search: a query's results are never
    /// padded with unrelated best-sellers).
    let global: Bool

    func popular(inCategory category: String) -> [ProductID] {
        indexes.popular(inCategory: category, limit: limit)
    }

    func popularGlobal() -> [ProductID] {
        global ? indexes.popularGlobal(limit: limit) : []
    }
}
