import ArgumentParser
import Engine
import Foundation
import Storage

/// `--database-url` and `--schema`, which every command that reads or writes PostgreSQL takes: one
/// definition, so the flags, their help and the environment fallbacks are the same in each, and
/// `import`, `experiments apply`, `keys` and `embed` write to the schema the server reads
/// (`HYBRIDRANK_DATABASE_SCHEMA`), as `migrate` does.
struct DatabaseOptions: ParsableArguments {
    @Option(help: "PostgreSQL URL (default: $DATABASE_URL, else $POSTGRES_URL).")
    var databaseURL: String?

    @Option(help: "PostgreSQL schema (search_path) of the service's tables (default: $HYBRIDRANK_DATABASE_SCHEMA, else the server's).")
    var schema: String?

    /// The URL from the option, else `DATABASE_URL`, else `POSTGRES_URL` (empty values skipped).
    func url() throws -> String {
        if let databaseURL, !databaseURL.isEmpty { return databaseURL }
        if let url = ServiceConfiguration.databaseURL(in: ProcessInfo.processInfo.environment) { return url }
        throw ValidationError("no database: pass --database-url or set DATABASE_URL (or POSTGRES_URL)")
    }

    /// The schema from the option, else `HYBRIDRANK_DATABASE_SCHEMA` (as `serve` reads it); nil
    /// leaves the server's `search_path`.
    var searchPath: String? {
        if let schema, !schema.isEmpty { return schema }
        return ServiceConfiguration.databaseSchema(in: ProcessInfo.processInfo.environment)
    }

    /// Runs `body` with a client of `poolSize` connections, closed afterwards whether it
    /// succeeds or throws: a command is one short session, and a client left open keeps the
    /// process from exiting cleanly.
    func withClient<T>(
        poolSize: Int = 1, _ body: (PostgresClient) async throws -> T
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
