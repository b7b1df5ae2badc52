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

    func run() async throws {
        let applied = try await database.withClient { client in
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
