/// Where experiment definitions live (PostgreSQL in the service; memory in tests).
///
/// Small and batch-shaped on purpose: `apply` reads everything once and writes a whole file's
/// experiments in one call, which a SQL implementation runs in one transaction.
public protocol ExperimentStore: Sendable {
    /// Every stored experiment.
    func loadExperiments() async throws -> [Experiment]
    /// Inserts or replaces `experiments` by key, all or nothing.
    func save(_ experiments: [Experiment]) async throws
}
