import Foundation
import Storage

/// The `api_keys` table (migrations/0210_api_keys.sql): creating, listing and revoking keys.
public struct APIKeyRepository: Sendable {
    let postgres: PostgresClient

    public init(postgres: PostgresClient) {
        self.postgres = postgres
    }

    /// Stores a new key and returns its row with the token, which exists nowhere else: the
    /// caller shows it once.
    public func create(scope: APIKeyScope, name: String) async throws -> (record: APIKeyRecord, token: APIKeyToken) {
        let token = APIKeyToken.generate()
        let rows = try await postgres.query(
            """
            INSERT INTO api_keys (id, name, scope, secret_sha256) VALUES ($1, $2, $3, $4)
            RETURNING id, name, scope, secret_sha256, created_at, revoked_at
            """,
            [token.id, name, scope.rawValue, token.digest])
        guard let row = rows.first, let record = try Self.record(row) else {
            throw PostgresError(code: .decoding, detail: "INSERT … RETURNING gave no api_keys row")
        }
        return (record, token)
    }

    /// Every key, revoked ones included, oldest first. A row with a scope this build does not
    /// know is left out (it grants nothing here).
    ///
    /// A database migrated before `api_keys` existed has no keys: the missing table (SQLSTATE
    /// 42P01) reads as none, the same as an empty table.
    public func all() async throws -> [APIKeyRecord] {
        do {
            let rows = try await postgres.query(
                "SELECT id, name, scope, secret_sha256, created_at, revoked_at FROM api_keys ORDER BY created_at, id")
            return try rows.compactMap(Self.record)
        } catch let error as PostgresError where error.sqlState == "42P01" {
            return []
        }
    }

    /// Marks a key revoked; false when no active key has this id. The row stays, so the
    /// service never falls back to open mode because its last key was revoked.
    public func revoke(id: String) async throws -> Bool {
        try await postgres.execute(
            "UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL", [id]) > 0
    }

    private static func record(_ row: PostgresRow) throws -> APIKeyRecord? {
        guard let scope = APIKeyScope(rawValue: try row.string("scope")) else { return nil }
        return APIKeyRecord(
            id: try row.string("id"), name: try row.string("name"), scope: scope, digest: try row.string("secret_sha256"),
            createdAt: try row.date("created_at"), revokedAt: try row.optionalDate("revoked_at"))
    }
}
