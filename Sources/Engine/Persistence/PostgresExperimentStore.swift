import Experiments
import Foundation
import Storage

/// The `ExperimentStore` of the service: the `experiments` table in PostgreSQL.
public struct PostgresExperimentStore: ExperimentStore {
    let postgres: PostgresClient

    public init(postgres: PostgresClient) {
        self.postgres = postgres
    }

    public func loadExperiments() async throws -> [Experiment] {
        try await postgres.query(ExperimentSQL.selectAll).map { try ExperimentSQL.decodeDefinition(try $0.string("definition")) }
    }

    public func find(_ key: String) async throws -> Experiment? {
        try await postgres.query(ExperimentSQL.selectOne, [key]).first.map {
            try ExperimentSQL.decodeDefinition(try $0.string("definition"))
        }
    }

    public func save(_ experiments: [Experiment]) async throws {
        let rows = try experiments.map { try ExperimentSQL.upsertParameters($0) }
        let views = experiments.compactMap { ExperimentSQL.createPerExperimentView(key: $0.key) }
        try await postgres.withTransaction { connection in
            for row in rows {
                _ = try connection.execute(ExperimentSQL.upsert, [row.key, row.definition, row.status])
            }
            for view in views { try connection.executeScript(view) }
            return ()
        }
    }
}
