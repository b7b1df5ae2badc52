import Domain

/// The generated products plus the hidden structure the event simulation draws from:
/// per-category popularity (Zipf) and each product's "companions", the items people buy with it.
public struct DemoCatalog: Sendable {
    public let products: [Product]
    /// Category index of each product.
    let categoryIndex: [Int]
    /// Product indices per category, and running sums of their popularity weights.
    let productsByCategory: [[Int]]
    let cumulativePopularity: [[Double]]
    /// For each product, 2–4 products bought with it (same category or a complementary one).
    let companions: [[Int]]
    /// Complementary category indices per category.
    let complementCategories: [[Int]]
    let createdAtSeconds: [Double]
}
