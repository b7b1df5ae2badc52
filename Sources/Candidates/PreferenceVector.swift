import Domain
import Foundation

/// Builds content query vectors from what the shopper did (issue #3):
/// a user's preference vector is Σ `InteractionType.preferenceWeight · exp(−age_days/30)` · vector
/// over their interactions (purchase 5, cart add 3, wishlist 2, recommendation click 1.5, view 1,
/// cart remove −1), L2-normalised; a cart is the mean of its items; a product page is the anchor.
public enum PreferenceVector {
    /// Decay time constant of the preference vector, in days.
    public static let timeConstantDays: Double = 30

    /// The weight of one event at `now`: `preferenceWeight · exp(−age_days/30)`.
    public static func weight(of event: Interaction, now: Date) -> Float {
        let ageDays = max(0, now.timeIntervalSince(event.occurredAt)) / 86_400
        return event.type.preferenceWeight * Float(exp(-ageDays / timeConstantDays))
    }

    /// The user's preference vector, or `nil` when nothing in the history has a vector or the
    /// weights cancel out.
    public static func user(history: [Interaction], now: Date, vectors: some NearestNeighbourSearch) -> [Float]? {
        var sum = [Float](repeating: 0, count: vectors.dimension)
        var any = false
        var cache: [ProductID: [Float]?] = [:]
        for event in history {
            let vector: [Float]?
            if let cached = cache[event.productID] {
                vector = cached
            } else {
                vector = vectors.vector(of: event.productID)
                cache[event.productID] = vector
            }
            guard let vector else { continue }
            let w = weight(of: event, now: now)
            for d in 0..<sum.count { sum[d] += w * vector[d] }
            any = true
        }
        return any ? normalized(sum) : nil
    }

    /// The mean of the cart items' vectors, normalised.
    public static func cart(_ items: [ProductID], vectors: some NearestNeighbourSearch) -> [Float]? {
        var sum = [Float](repeating: 0, count: vectors.dimension)
        var any = false
        for item in items {
            guard let vector = vectors.vector(of: item) else { continue }
            for d in 0..<sum.count { sum[d] += vector[d] }
            any = true
        }
        return any ? normalized(sum) : nil
    }

    /// The query vector for a request, by widget: anchor product, cart mean, or preference vector.
    /// Text queries are embedded by the caller (it owns the encoder) and passed as `textVector`.
    public static func query(for context: ShopperContext, vectors: some NearestNeighbourSearch, textVector: [Float]? = nil) -> [Float]? {
        switch context.request.widget {
        case .product, .frequentlyBoughtTogether:
            return context.request.anchorProductID.flatMap { vectors.vector(of: $0) }
        case .cart:
            return cart(context.request.cartItems, vectors: vectors)
        case .homepage:
            return user(history: context.history, now: context.now, vectors: vectors)
        case .search:
            return textVector
        }
    }

    /// `v / ‖v‖`, or `nil` for a zero vector.
    public static func normalized(_ v: [Float]) -> [Float]? {
        var norm: Float = 0
        for x in v { norm += x * x }
        norm = norm.squareRoot()
        guard norm > 0, norm.isFinite else { return nil }
        return v.map { $0 / norm }
    }
}
