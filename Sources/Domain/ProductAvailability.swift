/// Whether a product may be served right now, as the stock rule needs it.
public enum ProductAvailability: Sendable, Hashable {
    /// Not in the catalog.
    case unknown
    /// Soft-deleted (`deletedAt` set).
    case deleted
    /// In the catalog but out of stock.
    case outOfStock
    case available

    public init(_ product: Product?) {
        guard let product else {
            self = .unknown
            return
        }
        if product.deletedAt != nil {
            self = .deleted
        } else {
            self = product.isAvailable ? .available : .outOfStock
        }
    }
}
