/// The outcome of assigning one unit to one experiment.
///
/// `bucket` is the unit's hash value `n` in `[0, 1)` (GrowthBook's `bucket`), or `nil` when the
/// hash version is unsupported; it is what `variation` was chosen from.
public struct Assignment: Sendable, Hashable, Codable {
    /// Index into the experiment's variants, or -1 when the unit is not in the experiment.
    public var variation: Int
    /// Whether the unit is counted in the experiment (in namespace, covered, valid hash).
    public var inExperiment: Bool
    /// Whether the unit passed the namespace check (true when the experiment has no namespace).
    public var inNamespace: Bool
    public var bucket: Double?

    /// Not in the experiment: the unit sees the service defaults and is not counted.
    public static func excluded(inNamespace: Bool, bucket: Double?) -> Assignment {
        Assignment(variation: -1, inExperiment: false, inNamespace: inNamespace, bucket: bucket)
    }
}
