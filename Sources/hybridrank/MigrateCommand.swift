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

    @OptionGroup var database: DatabaseOptions

    @Option(help: "Directory of NNNN_name.sql files.")
    var migrations: String = "migrations"

    @Option(help: "PostgreSQL schema (search_path) to migrate (default: HYBRIDRANK_DATABASE_SCHEMA, else the server's).")
    var schema: String?

    func run() async throws {
        let searchPath = schema ?? ProcessInfo.processInfo.environment["HYBRIDRANK_DATABASE_SCHEMA"].flatMap { $0.isEmpty ? nil : $0 }
        let applied = try await database.withClient(searchPath: searchPath) { client in
            try await Migrator(client: client, directory: migrations).migrate()
        }
        if applied.isEmpty {
            print("migrate: up to date")
        } else {
            for migration in applied {
                print("migrate: applied \(String(format: "%04d", migration.version)) \(migration.name)")
            }
        }
    }
}
