/// Deterministic, stateless assignment of units (users, or anonymous session ids) to variants,
/// agreeing with GrowthBook's SDKs.
///
/// A pure function of `(unitID, configuration)`: no clock, no storage, no randomness, so every
/// replica and every restart gives a unit the same variant. Like postgres-nio's state machines,
/// it decides and returns; callers act on the result.
public enum ExperimentAssigner {
    /// The inputs GrowthBook needs; `Experiment` converts to it, and `hybridrank experiments
    /// assign` decodes it directly from JSON lines.
    public struct Configuration: Sendable, Hashable {
        public var seed: String
        public var hashVersion: Int
        public var numVariations: Int
        public var coverage: Double
        public var weights: [Double]?
        public var namespace: NamespaceRange?

        public init(
            seed: String, hashVersion: Int = 2, numVariations: Int, coverage: Double = 1,
            weights: [Double]? = nil, namespace: NamespaceRange? = nil
        ) {
            self.seed = seed
            self.hashVersion = hashVersion
            self.numVariations = numVariations
            self.coverage = coverage
            self.weights = weights
            self.namespace = namespace
        }

        /// The ranges `chooseVariation` picks from; compute once per experiment when assigning many units.
        public var ranges: [BucketRange] {
            BucketRange.ranges(numVariations: numVariations, coverage: coverage, weights: weights)
        }
    }

    /// Assigns `unitID` under `configuration`.
    ///
    /// Order (GrowthBook's `_run`): fewer than two variations → excluded; namespace check;
    /// hash (unsupported version → excluded); `chooseVariation` over the coverage-scaled ranges.
    public static func assign(unitID: String, configuration: Configuration) -> Assignment {
        assign(unitID: unitID, configuration: configuration, ranges: configuration.ranges)
    }

    /// As `assign(unitID:configuration:)` with precomputed `ranges` (hot path).
    public static func assign(unitID: String, configuration: Configuration, ranges: [BucketRange]) -> Assignment {
        var inNamespace = true
        if let namespace = configuration.namespace {
            inNamespace = namespace.contains(unitID: unitID)
        }
        guard configuration.numVariations >= 2, !unitID.isEmpty, inNamespace else {
            return .excluded(inNamespace: inNamespace, bucket: nil)
        }
        guard let n = BucketHasher.hash(seed: configuration.seed, value: unitID, version: configuration.hashVersion) else {
            return .excluded(inNamespace: inNamespace, bucket: nil)
        }
        let variation = BucketRange.chooseVariation(n, ranges: ranges)
        return Assignment(variation: variation, inExperiment: variation >= 0, inNamespace: inNamespace, bucket: n)
    }

    /// Assigns `unitID` to `experiment` (regardless of status and dates; check
    /// `experiment.isActive(at:)` first).
    public static func assign(unitID: String, experiment: Experiment) -> Assignment {
        assign(unitID: unitID, configuration: Configuration(experiment))
    }
}

extension ExperimentAssigner.Configuration {
    /// The assignment inputs of `experiment`: its effective seed, hash version, coverage,
    /// variant weights and namespace.
    public init(_ experiment: Experiment) {
        self.init(
            seed: experiment.effectiveSeed,
            hashVersion: experiment.hashVersion,
            numVariations: experiment.variants.count,
            coverage: experiment.coverage,
            weights: experiment.weights,
            namespace: experiment.namespace
        )
    }
}
