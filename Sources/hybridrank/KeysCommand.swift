import ArgumentParser
import Engine
import Foundation
import Server
import ShopData
import Storage

/// `hybridrank keys …`: create, list and revoke API keys (SECURITY.md).
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Create, list and revoke API keys (stored hashed in PostgreSQL).",
        discussion: """
            Scopes: read (widget reads and search when HYBRIDRANK_READ_ACCESS=keyed), ingest (events; \
            safe to ship in a browser), admin (everything). While no key was ever created the service \
            is open (development); every replica picks up a new or revoked key within \
            HYBRIDRANK_KEY_REFRESH_SECONDS (default 2).
            """,
        subcommands: [CreateKeyCommand.self, ListKeysCommand.self, RevokeKeyCommand.self]
    )
}

/// `hybridrank keys create --scope admin [--name NAME]`: prints the new key once.
struct CreateKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Create a key and print it (the only time it is shown).")

    @Option(help: "read, ingest or admin.") var scope: String
    @Option(help: "A label for people (what uses the key).") var name: String = ""
    @Flag(help: "Print only the key (for scripts).") var quiet = false
    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        guard APIKeyScope(rawValue: scope) != nil else { throw ValidationError("--scope must be read, ingest or admin") }
        guard name.count <= 200, !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw ValidationError("--name must be at most 200 characters without control characters")
        }
    }

    func run() async throws {
        let (record, token) = try await database.withClient {
            try await APIKeyRepository(postgres: $0).create(scope: APIKeyScope(rawValue: scope)!, name: name)
        }
        if quiet {
            print(token.text)
        } else {
            print("created key \(record.id) (scope \(record.scope.rawValue)\(record.name.isEmpty ? "" : ", \(record.name)"))")
            print(token.text)
            print("This is the only time the key is shown; it is stored hashed.")
        }
    }
}

/// `hybridrank keys list`: every key's id, scope, name and dates (never the key).
struct ListKeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List keys (ids and scopes, never the keys).")

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let records = try await database.withClient { try await APIKeyRepository(postgres: $0).all() }
        let dates = ISO8601DateFormatter()
        print("id            scope   status   created               name")
        for record in records {
            let status = record.revokedAt == nil ? "active " : "revoked"
            print(
                "\(record.id)  \(record.scope.rawValue.padding(toLength: 6, withPad: " ", startingAt: 0))  \(status)  "
                    + "\(dates.string(from: record.createdAt))  \(record.name)")
        }
        if records.isEmpty { print("(no keys: the service is open on loopback)") }
    }
}

/// `hybridrank keys revoke ID`: the key stops working on every replica within the refresh interval.
struct RevokeKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke", abstract: "Revoke a key by id (every replica refuses it within a few seconds).")

    @Argument(help: "The key's id (the 12 hex digits after hr_, as `keys list` shows).") var id: String
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        guard try await database.withClient({ try await APIKeyRepository(postgres: $0).revoke(id: id) }) else {
            FileHandle.standardError.write(Data("revoke: no active key has id \(id)\n".utf8))
            throw ExitCode.failure
        }
        print("revoked key \(id)")
    }
}
