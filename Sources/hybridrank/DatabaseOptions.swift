import ArgumentParser
import Foundation
import Storage

/// `--database-url`, which every command that reads or writes PostgreSQL takes: one definition, so
/// the flag, its help and the environment fallback are the same in each.
struct DatabaseOptions: ParsableArguments {
    @Option(help: "PostgreSQL URL (default: $DATABASE_URL, else $POSTGRES_URL).")
    var databaseURL: String?

    /// The URL from the option, else `DATABASE_URL`, else `POSTGRES_URL` (empty values skipped).
    func url() throws -> String {
        let environment = ProcessInfo.processInfo.environment
        for candidate in [databaseURL, environment["DATABASE_URL"], environment["POSTGRES_URL"]] {
            if let candidate, !candidate.isEmpty { return candidate }
        }
        throw ValidationError("no database: pass --database-url or set DATABASE_URL (or POSTGRES_URL)")
    }

    /// Runs `body` with a client of `poolSize` connections, closed afterwards whether it
    /// succeeds or throws: a command is one short session, and a client left open keeps the
    /// process from exiting cleanly.
    func withClient<T>(
        poolSize: Int = 1, searchPath: String? = nil, _ body: (PostgresClient) async throws -> T
    ) async throws -> T {
        let client = PostgresClient(configuration: PostgresConfiguration(url: try url(), poolSize: poolSize, searchPath: searchPath))
        do {
            let value = try await body(client)
            await client.close()
            return value
        } catch {
            await client.close()
            throw error
        }
    }
}
