/// Read access to the current catalog, as of now. The server's implementation is updated
/// synchronously by product upserts/deletes, so rules see stock changes at once.
public protocol ProductCatalog: Sendable {
    func product(_ id: ProductID) -> Product?
    /// The rules' fields of each product, in order (`nil` for an unknown id), in one pass: the
    /// stock rule asks this for every candidate of every request (`RuleContext.attachFacts`), and
    /// it needs no copy of the products.
    func facts(of ids: [ProductID]) -> [ProductFacts?]
    /// The rules' fields of one product: what a rule walking a list item by item until it has
    /// enough (diversity, the rerank window) reads, without copying the whole `Product`.
    func facts(_ id: ProductID) -> ProductFacts?
}

extension ProductCatalog {
    public func facts(_ id: ProductID) -> ProductFacts? {
        product(id).map(ProductFacts.init)
    }

    public func facts(of ids: [ProductID]) -> [ProductFacts?] {
        ids.map { product($0).map(ProductFacts.init) }
    }
}

/// A fixed catalog in a dictionary: the offline evaluation's and the tests' catalog.
public struct StaticProductCatalog: ProductCatalog {
    public let products: [ProductID: Product]

    public init(_ products: [Product]) {
        self.products = Dictionary(products.map { ($0.id, $0) }, uniquingKeysWith: { _, last in last })
    }

    public func product(_ id: ProductID) -> Product? { products[id] }
}
