import Foundation
import Storage
import Testing

@Suite("PostgreSQL client (libpq)", .enabled(if: StorageTestEnvironment.hasPostgres, "POSTGRES_URL is not set"))
struct StoragePostgresTests {
    @Test func twoHundredConcurrentQueriesShareFourConnections() async throws {
        let url = try #require(StorageTestEnvironment.postgresURL)
        let client = PostgresClient(configuration: PostgresConfiguration(url: url, poolSize: 4))
        let results = try await withThrowingTaskGroup(of: (Int, Int, Int).self) { group in
            for index in 0..<200 {
                group.addTask {
                    let rows = try await client.query("SELECT $1::int * 2 AS doubled, pg_backend_pid() AS pid", [index])
                    return (index, try rows[0].int("doubled"), try rows[0].int("pid"))
                }
            }
            var results = [(Int, Int, Int)]()
            for try await result in group { results.append(result) }
            return results
        }
        await client.close()
        #expect(results.count == 200)
        #expect(results.allSatisfy { $0.1 == $0.0 * 2 })
        let backends = Set(results.map(\.2))
        #expect(backends.count <= 4, "the pool opened \(backends.count) connections")
    }

    @Test func parametersRoundTripExactly() async throws {
        try await StorageTestEnvironment.withSchema("t_pg_params") { client, _ in
            try await client.execute(
                "CREATE TABLE values_table (id int PRIMARY KEY, t text, f double precision, r real[], b bytea, ts timestamptz, flag boolean, big bigint)"
            )
            let texts = [
                "", "plain", "it's", "\"double\"", "back\\slash", "\\x00 not bytea", "tab\there", "new\nline",
                "crlf\r\n", "ünïcödé", "日本語", "emoji 🛒🎁", "'; DROP TABLE values_table; --", "$1", "{1,2}", "NULL",
                "   spaced   ", String(repeating: "long ", count: 2000),
            ]
            var vector: [Float] = [0, -0.0, 1, -1, 0.1, 1e-38, 3.4028235e38, .leastNonzeroMagnitude, 123.456]
            for _ in 0..<384 { vector.append(Float.random(in: -10...10)) }
            let bytes = Data((0...255).map { UInt8($0) } + [0, 0, 255])
            let date = Date(timeIntervalSince1970: 1_700_000_000.123456)
            for (index, text) in texts.enumerated() {
                try await client.execute(
                    "INSERT INTO values_table VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                    [index, text, Double(index) + 0.1, vector, bytes, date, index % 2 == 0, Int64.max - Int64(index)])
            }
            try await client.execute("INSERT INTO values_table (id) VALUES ($1)", [1000])

            let rows = try await client.query("SELECT * FROM values_table ORDER BY id")
            #expect(rows.count == texts.count + 1)
            for (index, text) in texts.enumerated() {
                let row = rows[index]
                #expect(try row.string("t") == text)
                #expect(try row.double("f") == Double(index) + 0.1)
                #expect(try row.floats("r") == vector)
                #expect(try row.bytes("b") == bytes)
                #expect(abs(try row.date("ts").timeIntervalSince(date)) < 0.000_001)
                #expect(try row.bool("flag") == (index % 2 == 0))
                #expect(try row.int("big") == Int(Int64.max) - index)
            }
            let nullRow = rows[texts.count]
            #expect(try nullRow.optionalString("t") == nil)
            #expect(try nullRow.optionalDouble("f") == nil)
            #expect(throws: PostgresError.self) { try nullRow.string("t") }

            // The same values straight back through SELECT $n.
            for text in texts {
                #expect(try await client.query("SELECT $1::text AS t", [text])[0].string("t") == text)
            }
            let array = try await client.query("SELECT $1::text[] AS a", [texts])[0].strings("a")
            #expect(array == texts)
        }
    }

    @Test func transactionRollbackLeavesNothing() async throws {
        try await StorageTestEnvironment.withSchema("t_pg_tx") { client, _ in
            try await client.execute("CREATE TABLE items (id int PRIMARY KEY)")
            struct Abort: Error {}
            await #expect(throws: Abort.self) {
                try await client.withTransaction { connection in
                    for id in 0..<10 { try connection.execute("INSERT INTO items VALUES ($1)", [id]) }
                    #expect(try connection.query("SELECT count(*) AS n FROM items")[0].int("n") == 10)
                    throw Abort()
                }
            }
            #expect(try await client.query("SELECT count(*) AS n FROM items")[0].int("n") == 0)

            // A failing statement also rolls back the statements before it.
            await #expect(throws: PostgresError.self) {
                try await client.withTransaction { connection in
                    try connection.execute("INSERT INTO items VALUES (1)")
                    try connection.execute("INSERT INTO items VALUES (1)")
                }
            }
            #expect(try await client.query("SELECT count(*) AS n FROM items")[0].int("n") == 0)

            let committed = try await client.withTransaction { connection in
                try connection.execute("INSERT INTO items VALUES (1), (2)")
            }
            #expect(committed == 2)
            #expect(try await client.query("SELECT count(*) AS n FROM items")[0].int("n") == 2)
        }
    }

    @Test func errorsDoNotEchoParameters() async throws {
        let url = try #require(StorageTestEnvironment.postgresURL)
        let client = PostgresClient(url: url)
        defer { Task { await client.close() } }
        do {
            _ = try await client.query("SELECT $1::int AS n", ["secret-customer-42"])
            Issue.record("expected an error")
        } catch let error as PostgresError {
            #expect(error.code == .queryFailed)
            #expect(error.sqlState == "22P02")
            #expect(!error.description.contains("secret-customer-42"))
            #expect(!"\(error)".contains("secret-customer-42"))
            #expect(String(reflecting: error).contains("secret-customer-42"))
            #expect(!error.isRetryable)
        }
        // The connection stays usable after a failed statement.
        #expect(try await client.query("SELECT 1 AS one")[0].int("one") == 1)
        // Decoding errors name the column, never the value.
        let row = try await client.query("SELECT 'secret-value' AS name")[0]
        do {
            _ = try row.int("name")
            Issue.record("expected a decoding error")
        } catch let error as PostgresError {
            #expect(error.code == .decoding)
            #expect(!String(reflecting: error).contains("secret-value"))
        }
    }

    @Test func terminatedBackendIsReplacedTransparently() async throws {
        let url = try #require(StorageTestEnvironment.postgresURL)
        let client = PostgresClient(configuration: PostgresConfiguration(url: url, poolSize: 1))
        let admin = PostgresClient(configuration: PostgresConfiguration(url: url, poolSize: 1))
        let pid = try await client.query("SELECT pg_backend_pid() AS pid")[0].int("pid")
        #expect(try await admin.query("SELECT pg_terminate_backend($1) AS ok", [pid])[0].bool("ok"))
        try await Task.sleep(for: .milliseconds(200))
        // The idle connection's socket now has the server's goodbye: replaced before use.
        let newPID = try await client.query("SELECT pg_backend_pid() AS pid")[0].int("pid")
        #expect(newPID != pid)
        await client.close()
        await admin.close()
    }

    @Test func copyLoadsFiftyThousandOnlineRetailRows() async throws {
        let file = try #require(
            StorageTestEnvironment.sharedData("interactions.csv.gz"), "../shared/data/online-retail is missing")
        try await StorageTestEnvironment.withSchema("t_pg_copy") { client, _ in
            try await client.execute(
                """
                CREATE TABLE retail (customer_id text, product_id text, event text, quantity int,
                                     occurred_at timestamp, basket_id text)
                """)
            let lines = try await Self.gunzipLines(file, limit: 50_001)
            #expect(lines.first == "customer_id,product_id,event,quantity,timestamp,basket_id")
            let copied = try await client.copyIn(
                "COPY retail FROM STDIN WITH (FORMAT csv, HEADER true)", lines: lines)
            #expect(copied == 50_000)
            #expect(try await client.query("SELECT count(*) AS n FROM retail")[0].int("n") == 50_000)
            let first = try await client.query("SELECT * FROM retail ORDER BY occurred_at, basket_id, product_id LIMIT 1")[0]
            #expect(try first.string("customer_id") == "13085")
        }
    }

    @Test func copyWithABadRowFailsAndLeavesTheConnectionUsable() async throws {
        try await StorageTestEnvironment.withSchema("t_pg_copybad", poolSize: 1) { client, _ in
            try await client.execute("CREATE TABLE numbers (n int)")
            await #expect(throws: PostgresError.self) {
                _ = try await client.copyIn("COPY numbers FROM STDIN", lines: ["1", "2", "not-a-number", "4"])
            }
            #expect(try await client.query("SELECT count(*) AS n FROM numbers")[0].int("n") == 0)
            let escaped = PostgresCopyText.line(["tab\there", nil])
            try await client.execute("CREATE TABLE pairs (a text, b text)")
            #expect(try await client.copyIn("COPY pairs FROM STDIN", lines: [escaped]) == 1)
            let row = try await client.query("SELECT a, b FROM pairs")[0]
            #expect(try row.string("a") == "tab\there")
            #expect(try row.optionalString("b") == nil)
        }
    }

    @Test func migrateTwiceIsANoOp() async throws {
        try await StorageTestEnvironment.withSchema("t_pg_migrate") { client, schema in
            let directory = StorageTestEnvironment.repositoryRoot.appendingPathComponent("migrations").path
            let migrator = Migrator(client: client, directory: directory)
            let files = try migrator.migrations()
            #expect(files.count >= 2)
            #expect(files.map(\.version) == files.map(\.version).sorted())
            let first = try await migrator.migrate()
            #expect(first.map(\.version) == files.map(\.version))
            let second = try await migrator.migrate()
            #expect(second.isEmpty)
            #expect(try await migrator.appliedVersions() == Set(files.map(\.version)))
            let tables = try await client.query(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = $1", [schema]
            ).map { try $0.string("table_name") }
            for table in ["products", "product_embeddings", "interactions", "orders", "model_versions", "users"] {
                #expect(tables.contains(table), "missing table \(table)")
            }
            // The interaction type check rejects unknown types.
            await #expect(throws: PostgresError.self) {
                try await client.execute(
                    "INSERT INTO interactions (user_id, product_id, type, occurred_at) VALUES ('u', 'p', 'like', now())")
            }
        }
    }

    /// Every replica's catalog reconciler asks for the embeddings changed since its watermark a
    /// few times a second; without an index on (model_version, updated_at) each ask scanned every
    /// embedding of the model (2 GB at a million products).
    @Test func changedEmbeddingsAreReadThroughAnIndex() async throws {
        try await StorageTestEnvironment.withSchema("t_pg_embidx") { client, _ in
            let directory = StorageTestEnvironment.repositoryRoot.appendingPathComponent("migrations").path
            try await Migrator(client: client, directory: directory).migrate()
            try await client.execute(
                """
                INSERT INTO product_embeddings (product_id, model_version, vector, updated_at)
                SELECT 'p' || i, 'm', ARRAY[0.5]::real[], now() - i * interval '1 minute'
                FROM generate_series(1, 5000) AS i
                """)
            try await client.execute("ANALYZE product_embeddings")
            let plan = try await client.query(
                "EXPLAIN SELECT product_id, vector FROM product_embeddings WHERE model_version = 'm' AND updated_at > now() - interval '10 minutes'"
            ).map { try $0.string("QUERY PLAN") }.joined(separator: "\n")
            #expect(plan.contains("product_embeddings_model_updated_idx"), "\(plan)")
            #expect(!plan.contains("Seq Scan"), "\(plan)")
        }
    }

    /// Restarts a private PostgreSQL (its own data directory and port, so the other tests keep
    /// their server) while a client holds connections to it.
    @Test(.timeLimit(.minutes(2)))
    func reconnectsAfterTheServerRestarts() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            StorageTestEnvironment.uniqueName("hybridrank-restart"))
        // 0755: when run as root, PostgreSQL runs as `postgres` and must reach its data directory.
        try FileManager.default.createDirectory(
            at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        let environment = ["HYBRIDRANK_LOCAL_DIR": directory.path]
        try await ChildProcess.ensuring {
            try await reconnects(environment: environment)
        } cleanup: {
            _ = try? await StorageTestEnvironment.services(["stop-postgres"], environment: environment)
            try? FileManager.default.removeItem(at: directory)
        }
    }

    private func reconnects(environment: [String: String]) async throws {
        let (status, output) = try await StorageTestEnvironment.services(["start-postgres"], environment: environment)
        try #require(status == 0, "services.sh start-postgres failed: \(output)")
        let url = try #require(
            output.split(separator: "\n").first { $0.hasPrefix("export POSTGRES_URL=") }
                .map { String($0.dropFirst("export POSTGRES_URL=".count)) })

        let client = PostgresClient(configuration: PostgresConfiguration(url: url, poolSize: 2))
        // Open both connections.
        async let a = client.query("SELECT pg_sleep(0.1), 1 AS n")
        async let b = client.query("SELECT pg_sleep(0.1), 2 AS n")
        _ = try await (a, b)

        let (restartStatus, restartOutput) = try await StorageTestEnvironment.services(
            ["restart-postgres"], environment: environment)
        try #require(restartStatus == 0, "restart failed: \(restartOutput)")

        // Every later query works: the dead connections are noticed and replaced before use.
        for attempt in 0..<10 {
            do {
                #expect(try await client.query("SELECT $1::int AS n", [attempt])[0].int("n") == attempt)
            } catch let error as PostgresError {
                // Only acceptable as a retryable error (a connection lost in flight).
                #expect(error.isRetryable, "\(String(reflecting: error))")
            }
        }
        #expect(await client.ping())

        // A query in flight when the server goes away throws a retryable error.
        async let slow = client.query("SELECT pg_sleep(5)")
        try await Task.sleep(for: .milliseconds(300))
        let (stopStatus, _) = try await StorageTestEnvironment.services(["restart-postgres"], environment: environment)
        #expect(stopStatus == 0)
        do {
            _ = try await slow
            Issue.record("the query should have failed when the server restarted")
        } catch let error as PostgresError {
            #expect(error.isRetryable, "\(String(reflecting: error))")
        }
        #expect(try await client.query("SELECT 7 AS n")[0].int("n") == 7)
        await client.close()
    }

    static func gunzipLines(_ file: URL, limit: Int) async throws -> [String] {
        let result = try await ChildProcess.run(
            "/bin/sh", ["-c", "gzip -dc \"$0\" | head -n \(limit)", file.path], separateErrors: true)
        return result.output.split(whereSeparator: \.isNewline).map(String.init)
    }
}
