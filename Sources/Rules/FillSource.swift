import Domain

/// Where `FillRule` takes popular products from, best first, when the other rules leave a list
/// short of the request's limit.
///
/// Asked only then (rarely: most lists keep enough items), so a server passes a source that reads
/// its popularity index on demand instead of building every category's list for every request.
public protocol FillSource: Sendable {
    /// Popular products of one category.
    func popular(inCategory category: String) -> [ProductID]
    /// Popular products of the whole shop.
    func popularGlobal() -> [ProductID]
}

/// Fixed fill lists (the offline evaluation, tests).
public struct StaticFillSource: FillSource {
    public var byCategory: [String: [ProductID]]
    public var global: [ProductID]

    public init(byCategory: [String: [ProductID]] = [:], global: [ProductID] = []) {
        self.byCategory = byCategory
        self.global = global
    }

    public func popular(inCategory category: String) -> [ProductID] { byCategory[category] ?? [] }

    public func popularGlobal() -> [ProductID] { global }
}
