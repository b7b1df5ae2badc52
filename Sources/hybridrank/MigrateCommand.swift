import ArgumentParser
import Foundation
import Storage

/// `hybridrank migrate`: applies the pending numbered SQL files of `migrations/`.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply pending database migrations (numbered SQL files), each in a transaction.",
        discussion: "Running it again applies nothing. Applied versions are recorded in schema_migrations."
    )

    @Option(help: "PostgreSQL URL (default: $DATABASE_URL, else $POSTGRES_URL).")
    var databaseURL: String?

    @Option(help: "Directory of NNNN_name.sql files.")
    var migrations: String = "migrations"

    @Option(help: "PostgreSQL schema (search_path) to migrate (default: HYBRIDRANK_DATABASE_SCHEMA, else the server's).")
    var schema: String?

    func run() async throws {
        let url = try DatabaseURL.resolve(databaseURL)
        let searchPath = schema ?? ProcessInfo.processInfo.environment["HYBRIDRANK_DATABASE_SCHEMA"].flatMap { $0.isEmpty ? nil : $0 }
        let client = PostgresClient(configuration: PostgresConfiguration(url: url, poolSize: 1, searchPath: searchPath))
        do {
            let migrator = Migrator(client: client, directory: migrations)
            let applied = try await migrator.migrate()
            if applied.isEmpty {
                print("migrate: up to date")
            } else {
                for migration in applied {
                    print("migrate: applied \(String(format: "%04d", migration.version)) \(migration.name)")
                }
            }
        } catch {
            await client.close()
            throw error
        }
        await client.close()
    }
}

/// The PostgreSQL URL from an option or the environment (`DATABASE_URL`, else `POSTGRES_URL`).
enum DatabaseURL {
    static func resolve(_ option: String?) throws -> String {
        let environment = ProcessInfo.processInfo.environment
        for candidate in [option, environment["DATABASE_URL"], environment["POSTGRES_URL"]] {
            if let candidate, !candidate.isEmpty { return candidate }
        }
        throw ValidationError("no database: pass --database-url or set DATABASE_URL (or POSTGRES_URL)")
    }
}
