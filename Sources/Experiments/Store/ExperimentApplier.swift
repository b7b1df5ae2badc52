import Foundation

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
    ///
    /// A running or stopped experiment gets the start and end times the API's start and stop give
    /// it (`Experiment.withLifecycleTimes`), so its results have a window either way.
    public func apply(
        _ file: ExperimentDefinitionFile, to store: some ExperimentStore, dryRun: Bool = false, now: Date = Date()
    ) async throws -> Report {
        let stored = try await store.loadExperiments()
        let byKey = Dictionary(stored.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        var stamped = file
        stamped.experiments = file.experiments.map { $0.withLifecycleTimes(previous: byKey[$0.key], now: now) }
        try ExperimentValidator.check(stamped.validate(with: validator, stored: stored))
        var report = Report()
        var changed: [Experiment] = []
        for experiment in stamped.experiments {
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
