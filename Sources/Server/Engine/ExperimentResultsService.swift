import Experiments
import Foundation
import Storage

/// Computes `GET /v1/experiments/{key}/results` from the exposures and attributed events.
public final class ExperimentResultsService: Sendable {
    let postgres: PostgresClient
    let metrics: ServiceMetrics

    init(postgres: PostgresClient, metrics: ServiceMetrics) {
        self.postgres = postgres
        self.metrics = metrics
    }

    public struct Placeholder: Encodable {
        var experiment: String
    }

    public func results(for experiment: Experiment) async throws -> Placeholder {
        Placeholder(experiment: experiment.key)
    }
}
