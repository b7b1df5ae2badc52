/// `hybridrank experiments apply FILE`: validate a definition file against the stored
/// experiments and write it, all or nothing.
public struct ExperimentApplier: Sendable {
    /// What applying a file did (or would do, for a dry run), by experiment key.
    public struct Report: Sendable, Hashable, Codable {
        public var created: [String] = []
        public var updated: [String] = []
        public var unchanged: [String] = []
    }

    public var validator: ExperimentValidator

    public init(validator: ExperimentValidator = ExperimentValidator()) {
        self.validator = validator
    }

    /// Validates `file` against `store`'s experiments and, unless `dryRun`, saves it.
    /// - Throws: `ExperimentValidationError` (nothing is written), or the store's errors.
    public func apply(_ file: ExperimentDefinitionFile, to store: some ExperimentStore, dryRun: Bool = false) async throws -> Report {
        let stored = try await store.loadExperiments()
        try ExperimentValidator.check(file.validate(with: validator, stored: stored))
        var report = Report()
        var changed: [Experiment] = []
        let byKey = Dictionary(stored.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        for experiment in file.experiments {
            switch byKey[experiment.key] {
            case nil:
                report.created.append(experiment.key)
                changed.append(experiment)
            case let previous? where previous == experiment:
                report.unchanged.append(experiment.key)
            case _:
                report.updated.append(experiment.key)
                changed.append(experiment)
            }
        }
        if !dryRun, !changed.isEmpty {
            try await store.save(changed)
        }
        return report
    }
}
