import Domain

/// What stage 4 removed from one list, and why: explain shows it next to the items that stayed.
public struct RuleReport: Sendable, Hashable {
    /// One product a rule took out of the list.
    public struct Removal: Sendable, Hashable, Codable {
        public var productID: ProductID
        /// The rule's label, e.g. "filtered:stock", "filtered:purchased".
        public var label: String
    }

    /// Removed products in the order the rules dropped them.
    public var removed: [Removal] = []

    public init() {}

    mutating func remove(_ productID: ProductID, label: String) {
        removed.append(Removal(productID: productID, label: label))
    }

    /// Removal counts per label, e.g. `["filtered:stock": 2]`, for metrics and notes.
    public var removedCounts: [String: Int] {
        var counts: [String: Int] = [:]
        for removal in removed { counts[removal.label, default: 0] += 1 }
        return counts
    }
}
