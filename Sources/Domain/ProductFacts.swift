import Foundation

/// The few product fields the business rules read for every candidate: whether it may be served,
/// whether it is promoted, when it was created, and its category.
///
/// The rules ask for these in one batch per rule (`ProductCatalog.facts(of:)`) instead of copying
/// whole `Product` values (five strings) one look-up at a time.
public struct ProductFacts: Sendable, Hashable {
    public var availability: ProductAvailability
    public var promoted: Bool
    public var createdAt: Date
    public var category: String

    public init(_ product: Product) {
        availability = ProductAvailability(product)
        promoted = product.promoted
        createdAt = product.createdAt
        category = product.category
    }
}
