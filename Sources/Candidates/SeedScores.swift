import Domain

/// `Σ_seed weight · w(seed → j)` over each seed's neighbour list: how the item–item indexes
/// (`CoPurchaseIndex`, `EASEIndex`) turn a shopper's seeds into scores. Summed in the seeds' order,
/// so callers that sort their seeds get the same floats in every process. Seeds themselves are not
/// excluded (the caller's rules decide).
enum SeedScores {
    static func sum(
        _ seeds: [(productID: ProductID, weight: Float)],
        ordinals: [ProductID: Int32],
        productIDs: [ProductID],
        neighbours: (Int32) -> [(Int32, Float)]
    ) -> [ProductID: Float] {
        var accumulated: [Int32: Float] = [:]
        for seed in seeds {
            guard let i = ordinals[seed.productID] else { continue }
            for (j, weight) in neighbours(i) { accumulated[j, default: 0] += seed.weight * weight }
        }
        var result: [ProductID: Float] = [:]
        result.reserveCapacity(accumulated.count)
        for (j, score) in accumulated { result[productIDs[Int(j)]] = score }
        return result
    }
}
