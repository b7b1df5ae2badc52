import Domain
import Foundation
import Server
@testable import Engine
@testable import Ranking
@testable import ShopData
import Storage
import Support
import Testing

@Suite("Import through COPY", .enabled(if: StorageTestEnvironment.hasPostgres, "POSTGRES_URL is not set"))
final class ImportTests {
    /// This test's input files; Swift Testing makes one instance per test, so each test's folder
    /// goes when it ends.
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
        StorageTestEnvironment.uniqueName("hybridrank-import"))

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    /// A fresh schema with the project's migrations applied.
    func withMigratedSchema(_ prefix: String, _ body: (PostgresClient) async throws -> Void) async throws {
        try await StorageTestEnvironment.withSchema(prefix, poolSize: 2) { client, _ in
            let directory = StorageTestEnvironment.repositoryRoot.appendingPathComponent("migrations").path
            try await Migrator(client: client, directory: directory).migrate()
            try await body(client)
        }
    }

    func temporaryFile(_ name: String, _ contents: String) throws -> URL {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(name)
        try contents.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    @Test func malformedRowsAreRejectedWithLineNumbersAndNothingImportsTwice() async throws {
        let catalog = try temporaryFile(
            "products.csv",
            """
            product_id,name,unit_price,category
            p1,"MUG, RED",2.50,Kitchen
            p2,Tea towel,abc,Kitchen
            ,No id,1.00,
            p3,Lantern,12,Garden
            p4,"broken quote,1,

            """)
        let events = try temporaryFile(
            "events.csv",
            """
            customer_id,product_id,event,quantity,timestamp,basket_id
            u1,p1,purchase,2,2011-01-02T10:00:00,b1
            u1,p3,purchase,1,2011-01-02T10:00:00,b1
            u2,p1,view,1,2011-01-03T09:00:00,
            u2,p1,like,1,2011-01-03T09:00:00,
            u3,p3,purchase,x,2011-01-03T09:00:00,b2
            u3,,purchase,1,2011-01-03T09:00:00,b2
            u3,p3,purchase,1,not-a-date,b2
            u2,p1,view,1,2011-01-03T09:00:00,
            """)
        try await withMigratedSchema("imp_bad") { client in
            let importer = DataImporter(postgres: client, showProgress: false)
            let catalogSummary = try await importer.importCatalog(path: catalog.path)
            #expect(catalogSummary.imported == 2)
            #expect(catalogSummary.rejected == 3)
            #expect(catalogSummary.rejections.map(\.line) == [3, 4, 6])
            #expect(catalogSummary.rejections.map(\.field) == ["price", "product_id", nil])

            let eventSummary = try await importer.importEvents(path: events.path)
            #expect(eventSummary.imported == 3)
            #expect(eventSummary.duplicates == 1, "line 9 repeats line 4")
            #expect(eventSummary.rejected == 4)
            #expect(eventSummary.rejections.map(\.line) == [5, 6, 7, 8])
            #expect(eventSummary.rejections.map(\.field) == ["event", "quantity", "product_id", "timestamp"])
            #expect(eventSummary.rejections[0].description.hasPrefix("line 5: field event is not one of"))

            // Purchases without a value are priced from the catalog; orders are built per basket.
            let order = try await client.query("SELECT user_id, item_count, total_value FROM orders WHERE id = 'b1'")
            #expect(order.count == 1)
            #expect(try order.first?.int("item_count") == 2)
            #expect(try order.first?.double("total_value") == 2 * 2.5 + 12)

            // Twice: nothing new.
            let catalogAgain = try await importer.importCatalog(path: catalog.path)
            #expect(catalogAgain.imported == 0)
            #expect(catalogAgain.duplicates == 2)
            let eventsAgain = try await importer.importEvents(path: events.path)
            #expect(eventsAgain.imported == 0)
            #expect(eventsAgain.duplicates == 4)
            #expect(try await client.query("SELECT count(*) AS n FROM interactions")[0].int("n") == 3)
            #expect(try await client.query("SELECT count(*) AS n FROM products")[0].int("n") == 2)
        }
    }

    @Test func changedProductsUpdateOnReimport() async throws {
        let first = try temporaryFile("a.ndjson", #"{"product_id":"p1","name":"Mug","price":2}"# + "\n")
        let second = try temporaryFile(
            "b.ndjson",
            #"{"product_id":"p1","name":"Mug","price":3,"promoted":true}"# + "\n"
                + #"{"product_id":"p2","name":"Cup","price":1}"# + "\n")
        try await withMigratedSchema("imp_upd") { client in
            let importer = DataImporter(postgres: client, showProgress: false)
            #expect(try await importer.importCatalog(path: first.path).imported == 1)
            let summary = try await importer.importCatalog(path: second.path)
            #expect(summary.imported == 2)
            let row = try await client.query("SELECT price, promoted FROM products WHERE id = 'p1'")[0]
            #expect(try row.double("price") == 3)
            #expect(try row.bool("promoted"))
        }
    }

    /// A NUL in one row (PostgreSQL text cannot hold it) is that row's rejection, not a failed
    /// `COPY` of the whole file.
    @Test func aNulInOneRowRejectsOnlyThatRow() async throws {
        let catalog = try temporaryFile(
            "nul.ndjson",
            #"{"product_id":"n1","name":"A\u0000B","price":1}"# + "\n" + #"{"product_id":"n2","name":"Fine","price":2}"# + "\n")
        let customers = try temporaryFile("customers.csv", "customer_id,country\nc1,United Kingdom\nc2,\"Bad\u{7}Land\"\n")
        try await withMigratedSchema("imp_nul") { client in
            let importer = DataImporter(postgres: client, showProgress: false)
            let summary = try await importer.importCatalog(path: catalog.path)
            #expect(summary.imported == 1)
            #expect(summary.rejections == [ImportRowError(line: 1, field: "name", reason: "holds NUL or control characters")])
            #expect(try await client.query("SELECT id FROM products").map { try $0.string("id") } == ["n2"])
            let people = try await importer.importCustomers(path: customers.path)
            #expect(people.imported == 1 && people.rejections.map(\.field) == ["country"])
        }
    }

    /// The replicas' catalog sync reads changes by `updated_at > watermark` (the database's clock):
    /// a re-import whose file carries an old `updated_at`, or none, must still move it forward.
    @Test func aReimportedChangeReachesTheCatalogSync() async throws {
        let first = try temporaryFile("a.ndjson", #"{"product_id":"p1","name":"Mug","price":2,"created_at":"2010-01-01T00:00:00Z"}"# + "\n")
        let second = try temporaryFile(
            "b.ndjson", #"{"product_id":"p1","name":"Mug","price":3,"created_at":"2010-01-01T00:00:00Z","updated_at":"2010-01-02T00:00:00Z"}"# + "\n")
        try await withMigratedSchema("imp_sync") { client in
            let importer = DataImporter(postgres: client, showProgress: false)
            let products = ProductRepository(postgres: client)
            _ = try await importer.importCatalog(path: first.path)
            let watermark = try await products.databaseNow()
            #expect(try await products.changed(since: watermark).isEmpty)
            _ = try await importer.importCatalog(path: second.path)
            let changed = try await products.changed(since: watermark)
            #expect(changed.map(\.id) == ["p1"])
            #expect(changed.first?.price == 3)
            #expect(changed.first?.createdAt == Date(timeIntervalSince1970: 1_262_304_000), "the arrival time is the file's")
        }
    }

    /// An event with its own `event_id` is stored under the key the API gives it, so the same event
    /// sent live and backfilled from a file is stored once, whichever came first; the migration
    /// renames the keys earlier imports wrote and drops their copies of events the API stored.
    @Test func anImportedEventIDIsTheAPIsKey() async throws {
        let events = try temporaryFile(
            "events.ndjson",
            #"{"user_id":"u1","product_id":"p1","event":"cart_add","timestamp":"2024-05-01T12:01:00Z","event_id":"e-1"}"# + "\n")
        try await withMigratedSchema("imp_key") { client in
            let live = Interaction(userID: "u1", productID: "p1", type: .cartAdd, occurredAt: Date(timeIntervalSince1970: 1_714_564_860))
            let repository = InteractionRepository(postgres: client)
            #expect(try await repository.insert([live], keys: [Interaction.eventKey(clientEventID: "e-1")]) == [true])
            let summary = try await DataImporter(postgres: client, showProgress: false).importEvents(path: events.path)
            #expect(summary.imported == 0 && summary.duplicates == 1)

            // Keys as an earlier import wrote them: e-2 also sent live, e-3 only imported.
            try await client.execute(
                """
                INSERT INTO interactions (event_key, user_id, product_id, type, quantity, value, occurred_at) VALUES
                    ('client:e-2', 'u1', 'p1', 'view', 1, 0, now()), ('e-2', 'u1', 'p1', 'view', 1, 0, now()),
                    ('e-3', 'u1', 'p1', 'view', 1, 0, now()), ('h0123456789abcdef0123456789abcdef', 'u1', 'p1', 'view', 1, 0, now())
                """)
            let migration = try String(
                contentsOf: StorageTestEnvironment.repositoryRoot.appendingPathComponent("migrations/0005_imported_event_ids_as_client_keys.sql"),
                encoding: .utf8)
            try await client.withConnection { try $0.executeScript(migration) }
            let keys = try await client.query("SELECT event_key FROM interactions ORDER BY event_key").map { try $0.string("event_key") }
            #expect(keys == ["client:e-1", "client:e-2", "client:e-3", "h0123456789abcdef0123456789abcdef"])
        }
    }

    @Test func ndjsonEventsWithRequestIDsAndValues() async throws {
        let events = try temporaryFile(
            "events.ndjson",
            [
                #"{"user_id":"u1","product_id":"p1","event":"recommendation_click","timestamp":"2024-05-01T12:00:00Z","request_id":"r1"}"#,
                #"{"user_id":"u1","product_id":"p1","event":"purchase","quantity":2,"value":19.98,"timestamp":1714566000,"basket_id":"o1"}"#,
                #"{"user_id":"u1","product_id":"p1","event":"cart_add","timestamp":"2024-05-01T12:01:00Z","event_id":"client-1"}"#,
                #"{"user_id":"u1","product_id":"p1","event":"cart_add","timestamp":"2024-05-01T12:09:00Z","event_id":"client-1"}"#,
                #"{"user_id":"u1","event":"view","timestamp":"2024-05-01T12:01:00Z"}"#,
            ].joined(separator: "\n") + "\n")
        try await withMigratedSchema("imp_json") { client in
            let importer = DataImporter(postgres: client, showProgress: false)
            let summary = try await importer.importEvents(path: events.path)
            #expect(summary.imported == 3)
            #expect(summary.duplicates == 1, "the second client-1 has the same event_id")
            #expect(summary.rejections == [ImportRowError(line: 5, field: "product_id", reason: "is missing")])
            let click = try await client.query("SELECT request_id FROM interactions WHERE type = 'recommendation_click'")
            #expect(try click.first?.string("request_id") == "r1")
            let purchase = try await client.query("SELECT value, quantity FROM interactions WHERE type = 'purchase'")
            #expect(try purchase.first?.double("value") == 19.98)
            #expect(try purchase.first?.int("quantity") == 2)
        }
    }

    @Test func gzipOnlineRetailFilesImport() async throws {
        let products = try #require(StorageTestEnvironment.sharedData("products.csv.gz"))
        let interactions = try #require(StorageTestEnvironment.sharedData("interactions.csv.gz"))
        // The first 20,000 events, recompressed, to keep the test short.
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            StorageTestEnvironment.uniqueName("hybridrank-gz"))
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let head = directory.appendingPathComponent("interactions.csv.gz")
        let gzip = try await ChildProcess.run(
            "/bin/sh", ["-c", "gzip -dc \"$0\" | head -n 20001 | gzip -c > \"$1\"", interactions.path, head.path])
        #expect(gzip.status == 0, "\(gzip.output)")

        try await withMigratedSchema("imp_gz") { client in
            let importer = DataImporter(postgres: client, showProgress: false)
            let catalog = try await importer.importCatalog(path: products.path)
            #expect(catalog.rejected == 0)
            #expect(catalog.imported == 4618)
            let events = try await importer.importEvents(path: head.path)
            #expect(events.rejected == 0)
            #expect(events.imported == 20_000)
            #expect(try await client.query("SELECT count(*) AS n FROM interactions")[0].int("n") == 20_000)
            let unpriced = try await client.query(
                "SELECT count(*) AS n FROM interactions WHERE type = 'purchase' AND value <= 0")[0].int("n")
            #expect(unpriced == 0, "every purchase is priced from the catalog")
            #expect(try await importer.importEvents(path: head.path).imported == 0)
        }
        try? FileManager.default.removeItem(at: directory)
    }
}
