/// A slice `[start, end)` of a named namespace. Experiments in the same namespace with
/// disjoint slices are mutually exclusive: a unit falls into at most one of them.
public struct NamespaceRange: Sendable, Hashable, Codable {
    public var name: String
    public var start: Double
    public var end: Double

    public init(name: String, start: Double, end: Double) {
        self.name = name
        self.start = start
        self.end = end
    }

    /// GrowthBook's `inNamespace`: `hash("__" + name, id, 1)` in `[start, end)`.
    public func contains(unitID: String) -> Bool {
        guard let n = BucketHasher.hash(seed: "__" + name, value: unitID, version: 1) else { return false }
        return n >= start && n < end
    }

    /// Whether two slices of the same namespace overlap (different namespaces never do).
    public func overlaps(_ other: NamespaceRange) -> Bool {
        name == other.name && start < other.end && other.start < end
    }

    enum CodingKeys: String, CodingKey { case name, start, end }

    /// Decodes `{"name", "start", "end"}` or GrowthBook's tuple form `[name, start, end]`.
    public init(from decoder: any Decoder) throws {
        if var tuple = try? decoder.unkeyedContainer() {
            name = try tuple.decode(String.self)
            start = try tuple.decode(Double.self)
            end = try tuple.decode(Double.self)
            return
        }
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        start = try c.decode(Double.self, forKey: .start)
        end = try c.decode(Double.self, forKey: .end)
    }
}
