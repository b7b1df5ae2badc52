import Logging
import ServiceLifecycle

/// Re-reads `api_keys` into the `APIKeyTable` every `interval` seconds, so a key created or
/// revoked on any machine takes effect on this replica within one interval. A failed read
/// (PostgreSQL down) keeps the table in force and is logged once per outage.
package struct APIKeyRefresher: Service {
    let repository: APIKeyRepository
    let table: APIKeyTable
    let interval: Double
    let logger: Logger

    package init(repository: APIKeyRepository, table: APIKeyTable, interval: Double, logger: Logger) {
        self.repository = repository
        self.table = table
        self.interval = interval
        self.logger = logger
    }

    package func run() async throws {
        var failing = false
        await runPeriodically(every: interval) {
            do {
                table.install(try await repository.all())
                if failing { logger.notice("api keys read again") }
                failing = false
            } catch {
                if !failing {
                    logger.warning("api keys not read; the last table read stays in force", metadata: ["error": "\(error)"])
                }
                failing = true
            }
        }
    }
}
