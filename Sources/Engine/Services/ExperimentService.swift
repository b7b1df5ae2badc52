import Experiments
import Foundation
import Storage

/// Experiment administration for product managers: create, read, update (drafts), list, start,
/// stop. Validation is `ExperimentValidator`'s; its field errors become one 400.
public final class ExperimentService: Sendable {
    let store: PostgresExperimentStore
    let router: ExperimentRouter
    let validator = ExperimentValidator()
    package let results: ExperimentResultsService

    package init(store: PostgresExperimentStore, router: ExperimentRouter, results: ExperimentResultsService) {
        self.store = store
        self.router = router
        self.results = results
    }

    public func list() async throws -> [Experiment] {
        try await ServiceError.postgresGuarded { try await self.store.loadExperiments() }
    }

    public func find(_ key: String) async throws -> Experiment {
        guard let experiment = try await ServiceError.postgresGuarded({ try await self.store.find(key) }) else {
            throw ServiceError.notFound("experiment", field: "key")
        }
        return experiment
    }

    public func create(_ experiment: Experiment) async throws -> Experiment {
        var experiment = experiment
        experiment.status = .draft
        let all = try await list()
        if all.contains(where: { $0.key == experiment.key }) {
            throw ServiceError.conflict("an experiment with this key exists", field: "key")
        }
        try ServiceError.check(validator.validate(experiment, among: all))
        try await ServiceError.postgresGuarded { try await self.store.save([experiment]) }
        return experiment
    }

    public func update(_ key: String, to updated: Experiment) async throws -> Experiment {
        let all = try await list()
        guard let stored = all.first(where: { $0.key == key }) else { throw ServiceError.notFound("experiment", field: "key") }
        try ServiceError.check(validator.validateUpdate(from: stored, to: updated, among: all))
        // A PUT may change the status too: it gets the times `start` and `stop` give.
        let stamped = updated.withLifecycleTimes(previous: stored, now: Date())
        try await ServiceError.postgresGuarded { try await self.store.save([stamped]) }
        await refreshRouter()
        return stamped
    }

    public func transition(_ key: String, to status: ExperimentStatus) async throws -> Experiment {
        let all = try await list()
        guard var experiment = all.first(where: { $0.key == key }) else { throw ServiceError.notFound("experiment", field: "key") }
        guard experiment.status.canTransition(to: status) else {
            throw ServiceError.conflict("cannot change from \(experiment.status.rawValue) to \(status.rawValue)", field: "status")
        }
        let stored = experiment
        experiment.status = status
        experiment = experiment.withLifecycleTimes(previous: stored, now: Date())
        let errors = validator.validateUpdate(from: stored, to: experiment, among: all)
        if errors.contains(where: { $0.field == "widgets" }) {
            throw ServiceError.conflict(errors.first(where: { $0.field == "widgets" })!.message, field: "widgets")
        }
        try ServiceError.check(errors)
        try await ServiceError.postgresGuarded { try await self.store.save([experiment]) }
        await refreshRouter()
        return experiment
    }

    private func refreshRouter() async {
        if let all = try? await store.loadExperiments() { router.replace(with: all) }
    }
}
