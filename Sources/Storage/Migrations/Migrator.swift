import Foundation

/// One numbered SQL file, `NNNN_name.sql`.
public struct Migration: Sendable, Hashable {
    public var version: Int
    public var name: String
    public var sql: String
}

/// An error reading the migrations directory. Names files, never their contents.
public struct MigrationError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { "MigrationError: \(message)" }
}

/// Applies the numbered SQL files of a directory in order, each in its own transaction, and
/// records them in `schema_migrations(version, name, applied_at)`; applied versions are
/// skipped, so running it twice is a no-op.
///
/// Runs under a session advisory lock (per schema), so two processes migrating at once apply
/// each file once. Files use unqualified names, so `PostgresConfiguration.searchPath` chooses
/// the schema.
public struct Migrator: Sendable {
    public let client: PostgresClient
    /// Directory of `NNNN_name.sql` files. Default `migrations` (relative to the working directory).
    public let directory: String

    public init(client: PostgresClient, directory: String = "migrations") {
        self.client = client
        self.directory = directory
    }

    /// The migration files, sorted by version. Other files are ignored; two files with one
    /// version are an error.
    public func migrations() throws -> [Migration] {
        let url = URL(fileURLWithPath: directory, isDirectory: true)
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: url.path)
        } catch {
            throw MigrationError(message: "cannot read the migrations directory \(directory)")
        }
        var migrations = [Migration]()
        for file in names where file.hasSuffix(".sql") {
            let stem = file.dropLast(4)
            let digits = stem.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, let version = Int(digits) else { continue }
            var name = String(stem.dropFirst(digits.count))
            if name.hasPrefix("_") || name.hasPrefix("-") { name.removeFirst() }
            guard let sql = try? String(contentsOf: url.appendingPathComponent(file), encoding: .utf8) else {
                throw MigrationError(message: "cannot read \(file)")
            }
            migrations.append(Migration(version: version, name: name, sql: sql))
        }
        migrations.sort { $0.version < $1.version }
        for (previous, next) in zip(migrations, migrations.dropFirst()) where previous.version == next.version {
            throw MigrationError(message: "two migrations have version \(next.version)")
        }
        return migrations
    }

    /// Versions already applied.
    public func appliedVersions() async throws -> Set<Int> {
        try await client.withConnection { connection in
            try Self.ensureTable(connection)
            return Set(try connection.query("SELECT version FROM schema_migrations").map { try $0.int("version") })
        }
    }

    /// Applies the pending migrations in order and returns them (empty when up to date).
    /// A failing file rolls back alone and stops the run; earlier files stay applied.
    @discardableResult
    public func migrate() async throws -> [Migration] {
        let migrations = try migrations()
        return try await client.withConnection { connection in
            try Self.ensureTable(connection)
            try connection.execute(
                "SELECT pg_advisory_lock(hashtext('hybridrank.schema_migrations.' || current_schema()))")
            defer {
                _ = try? connection.execute(
                    "SELECT pg_advisory_unlock(hashtext('hybridrank.schema_migrations.' || current_schema()))")
            }
            let applied = Set(try connection.query("SELECT version FROM schema_migrations").map { try $0.int("version") })
            var done = [Migration]()
            for migration in migrations where !applied.contains(migration.version) {
                try connection.execute("BEGIN")
                do {
                    try connection.executeScript(migration.sql)
                    try connection.execute(
                        "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
                        [migration.version, migration.name])
                    try connection.execute("COMMIT")
                } catch {
                    if connection.isOpen { _ = try? connection.execute("ROLLBACK") }
                    throw error
                }
                done.append(migration)
            }
            return done
        }
    }

    private static func ensureTable(_ connection: PostgresConnection) throws {
        try connection.execute(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version     integer PRIMARY KEY,
                name        text NOT NULL,
                applied_at  timestamptz NOT NULL DEFAULT now()
            )
            """)
    }
}
