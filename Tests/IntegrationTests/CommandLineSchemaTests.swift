import Foundation
import Storage
import Testing

/// The CLI's database commands write where the server reads: the schema of `--schema`, else of
/// `HYBRIDRANK_DATABASE_SCHEMA` (what `serve` reads), and experiments with the service's own store.
@Suite("CLI database commands and the server's schema", .enabled(if: StorageTestEnvironment.hasPostgres, "POSTGRES_URL is not set"))
struct CommandLineSchemaTests {
    @Test func everyDatabaseCommandWritesToTheServersSchema() async throws {
        let binary = try #require(
            ChildProcess.hybridrankBinary, "the hybridrank executable is built next to the test bundle by swift build --build-tests")
        let url = try #require(StorageTestEnvironment.postgresURL)
        let root = StorageTestEnvironment.repositoryRoot
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(StorageTestEnvironment.uniqueName("cli-schema"))
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let products = folder.appendingPathComponent("products.ndjson")
        try Data(
            """
            {"product_id":"p1","name":"Enamel Mug","category":"Kitchen","price":4.50}
            {"product_id":"p2","name":"Oak Board","category":"Kitchen","price":18.00}

            """.utf8
        ).write(to: products)

        try await StorageTestEnvironment.withSchema("clischema", poolSize: 1) { client, schema in
            // The schema comes from the environment alone, as for a server started with it.
            var environment = ProcessInfo.processInfo.environment
            environment["HYBRIDRANK_DATABASE_SCHEMA"] = schema
            environment["DATABASE_URL"] = url
            func run(_ arguments: [String]) async throws -> ChildProcess.Result {
                try await ChildProcess.run(binary, arguments, environment: environment, currentDirectory: root)
            }
            #expect(try await run(["migrate"]).status == 0)
            #expect(try await client.query("SELECT version FROM schema_migrations").count > 0, "migrated into the schema")

            let imported = try await run(["import", "--catalog", products.path])
            #expect(imported.status == 0, "\(imported.output)")
            #expect(try await client.query("SELECT id FROM products ORDER BY id").map { try $0.string("id") } == ["p1", "p2"])

            let applied = try await run(["experiments", "apply", "examples/experiments.yaml"])
            #expect(applied.status == 0, "\(applied.output)")
            let keys = try await client.query("SELECT key FROM experiments ORDER BY key").map { try $0.string("key") }
            #expect(keys == ["cart-rerank-combination", "homepage-personalisation"])
            // The analysts' per-experiment views, which the service's store creates with each experiment.
            let views = try await client.query(
                "SELECT table_name FROM information_schema.views WHERE table_schema = $1 AND table_name LIKE 'experiment_performance\\_\\_%' ORDER BY table_name",
                [schema]
            ).map { try $0.string("table_name") }
            #expect(views == ["experiment_performance__cart_rerank_combination", "experiment_performance__homepage_personalisation"])

            let created = try await run(["keys", "create", "--scope", "admin", "--quiet"])
            #expect(created.status == 0, "\(created.output)")
            #expect(try await client.query("SELECT id FROM api_keys").count == 1)
        }
    }
}
