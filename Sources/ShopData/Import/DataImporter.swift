import Domain
import Foundation
import Storage

/// Loads catalog, event and customer files into PostgreSQL.
///
/// Each file is parsed and validated row by row (`CatalogRecordParser`, `EventRecordParser`),
/// streamed with `COPY` into a temporary staging table, then moved into the real table with
/// `INSERT … SELECT … ON CONFLICT`, all in one transaction: good rows load, malformed rows are
/// reported with their line and field, and importing the same data again stores nothing twice
/// (events by `event_key`, products and customers by id, changed ones updated).
public struct DataImporter: Sendable {
    public let postgres: PostgresClient
    /// Draw a progress line on stderr.
    public var showProgress: Bool
    /// How many rejections a summary keeps for reporting. Default 100: enough to see the
    /// pattern, bounded so a wholly wrong file does not fill memory.
    public var maxReportedRejections: Int

    public init(postgres: PostgresClient, showProgress: Bool = true, maxReportedRejections: Int = 100) {
        self.postgres = postgres
        self.showProgress = showProgress
        self.maxReportedRejections = maxReportedRejections
    }

    // MARK: Catalog

    /// Imports products (CSV or NDJSON); new or changed products count as imported. A stored row
    /// gets `updated_at` from the database's clock as the merge writes it (`clock_timestamp()`),
    /// whatever the file says: the replicas' catalog sync reads changes by that column, so a
    /// re-import with an old or missing `updated_at` reaches every replica like an API write.
    public func importCatalog(path: String) async throws -> ImportSummary {
        let now = Date()
        return try await stageAndMerge(
            path: path, kind: "catalog", stagingTable: "import_products",
            columns: """
                line int, id text, name text, description text, category text, price double precision,
                currency text, stock_quantity int, in_stock boolean, promoted boolean,
                created_at timestamptz
                """,
            encode: { (record: ImportRecord) throws(ImportRowError) -> String in
                let product = try CatalogRecordParser.product(from: record, now: now)
                return PostgresCopyText.line([
                    String(record.line), product.id, product.name, product.description, product.category,
                    product.price.postgresText, product.currency, product.stockQuantity.map(String.init),
                    product.inStock.postgresText, product.promoted.postgresText, product.createdAt.postgresText,
                ])
            },
            merge: { connection in
                try connection.execute(
                    """
                    INSERT INTO products (id, name, description, category, price, currency, stock_quantity, in_stock,
                                          promoted, created_at, updated_at)
                    SELECT DISTINCT ON (id) id, name, description, category, price, currency, stock_quantity, in_stock,
                           promoted, created_at, clock_timestamp()
                    FROM import_products ORDER BY id, line DESC
                    ON CONFLICT (id) DO UPDATE SET
                        name = EXCLUDED.name, description = EXCLUDED.description, category = EXCLUDED.category,
                        price = EXCLUDED.price, currency = EXCLUDED.currency, stock_quantity = EXCLUDED.stock_quantity,
                        in_stock = EXCLUDED.in_stock, promoted = EXCLUDED.promoted, updated_at = clock_timestamp(),
                        deleted_at = NULL
                    WHERE (products.name, products.description, products.category, products.price, products.currency,
                           products.stock_quantity, products.in_stock, products.promoted, products.deleted_at)
                          IS DISTINCT FROM
                          (EXCLUDED.name, EXCLUDED.description, EXCLUDED.category, EXCLUDED.price, EXCLUDED.currency,
                           EXCLUDED.stock_quantity, EXCLUDED.in_stock, EXCLUDED.promoted, NULL::timestamptz)
                    """)
            })
    }

    // MARK: Events

    /// Imports events (CSV or NDJSON). Purchases without a `value` are valued at quantity ×
    /// catalog price (import the catalog first). Refreshes `orders` for the baskets touched and
    /// adds unknown users to `users`.
    public func importEvents(path: String) async throws -> ImportSummary {
        try await stageAndMerge(
            path: path, kind: "events", stagingTable: "import_events",
            columns: """
                line int, event_key text, user_id text, product_id text, type text, quantity int,
                value double precision, request_id text, basket_id text, occurred_at timestamptz
                """,
            encode: { (record: ImportRecord) throws(ImportRowError) -> String in
                let event = try EventRecordParser.event(from: record)
                let interaction = event.interaction
                return PostgresCopyText.line([
                    String(record.line), event.eventKey, interaction.userID, interaction.productID,
                    interaction.type.rawValue, String(interaction.quantity),
                    event.hasValue ? interaction.value.postgresText : nil, interaction.requestID, interaction.basketID,
                    interaction.occurredAt.postgresText,
                ])
            },
            merge: { connection in
                let imported = try connection.execute(
                    """
                    INSERT INTO interactions (event_key, user_id, product_id, type, quantity, value, request_id, basket_id,
                                              occurred_at)
                    SELECT s.event_key, s.user_id, s.product_id, s.type, s.quantity,
                           COALESCE(s.value, CASE WHEN s.type = 'purchase' THEN s.quantity * COALESCE(p.price, 0) ELSE 0 END),
                           s.request_id, s.basket_id, s.occurred_at
                    FROM import_events s LEFT JOIN products p ON p.id = s.product_id
                    ORDER BY s.line
                    ON CONFLICT (event_key) DO NOTHING
                    """)
                if imported > 0 {
                    try connection.execute(
                        """
                        INSERT INTO orders (id, user_id, placed_at, item_count, total_value)
                        SELECT basket_id, min(user_id), min(occurred_at), count(*), sum(value)
                        FROM interactions
                        WHERE type = 'purchase' AND basket_id IN
                              (SELECT DISTINCT basket_id FROM import_events WHERE type = 'purchase' AND basket_id IS NOT NULL)
                        GROUP BY basket_id
                        ON CONFLICT (id) DO UPDATE SET
                            user_id = EXCLUDED.user_id, placed_at = EXCLUDED.placed_at,
                            item_count = EXCLUDED.item_count, total_value = EXCLUDED.total_value
                        """)
                    try connection.execute(
                        """
                        INSERT INTO users (id, created_at)
                        SELECT user_id, min(occurred_at) FROM import_events GROUP BY user_id
                        ON CONFLICT (id) DO NOTHING
                        """)
                }
                return imported
            })
    }

    // MARK: Customers

    /// Imports customers (`customer_id,country`) into `users`; new or changed count as imported.
    public func importCustomers(path: String) async throws -> ImportSummary {
        try await stageAndMerge(
            path: path, kind: "customers", stagingTable: "import_users",
            columns: "line int, id text, country text",
            encode: { (record: ImportRecord) throws(ImportRowError) -> String in
                let customer = try CustomerRecordParser.customer(from: record)
                return PostgresCopyText.line([String(record.line), customer.id, customer.country])
            },
            merge: { connection in
                try connection.execute(
                    """
                    INSERT INTO users (id, country)
                    SELECT DISTINCT ON (id) id, country FROM import_users ORDER BY id, line DESC
                    ON CONFLICT (id) DO UPDATE SET country = EXCLUDED.country
                    WHERE users.country IS DISTINCT FROM EXCLUDED.country
                    """)
            })
    }

    /// The steps every import shares, in one transaction: a temporary `stagingTable` of
    /// `columns`, the file's good rows (each encoded by `encode`) copied into it, then `merge`,
    /// which moves them into the real tables and returns how many it stored.
    private func stageAndMerge(
        path: String, kind: String, stagingTable: String, columns: String,
        encode: @escaping @Sendable (ImportRecord) throws(ImportRowError) -> String,
        merge: @escaping @Sendable (PostgresConnection) throws -> Int
    ) async throws -> ImportSummary {
        let format = try Self.format(of: path)
        let progress = showProgress
        let keep = maxReportedRejections
        return try await postgres.withTransaction { connection in
            try connection.execute("CREATE TEMP TABLE \(stagingTable) (\(columns)) ON COMMIT DROP")
            let feed = try StagingFeed(path: path, format: format, label: kind, progress: progress, keep: keep, encode: encode)
            let staged = try connection.copyIn("COPY \(stagingTable) FROM STDIN", lines: feed)
            try feed.finish()
            return feed.summary(kind: kind, staged: staged, imported: try merge(connection))
        }
    }

    static func format(of path: String) throws -> ImportFileFormat {
        guard let format = ImportFileFormat(path: path) else {
            throw ImportFileError(message: "\(path): unknown format (use .csv, .ndjson or .jsonl, optionally .gz)")
        }
        return format
    }
}

/// The lines a staging `COPY` consumes: reads the file, parses and validates each row, keeps
/// the rejections, and yields the good rows as COPY text lines. Single-threaded by design: it
/// lives inside one `withTransaction` body.
final class StagingFeed: Sequence, IteratorProtocol {
    private let reader: ImportLineReader
    private var records: ImportRecordReader
    private let encode: (ImportRecord) throws(ImportRowError) -> String
    private let progress: ImportProgress
    private let keep: Int
    private var lineNumber = 0
    private(set) var good = 0
    private(set) var rejected = 0
    private(set) var rejections = [ImportRowError]()

    init(
        path: String,
        format: ImportFileFormat,
        label: String,
        progress: Bool,
        keep: Int,
        encode: @escaping (ImportRecord) throws(ImportRowError) -> String
    ) throws {
        self.reader = try ImportLineReader(path: path)
        self.records = ImportRecordReader(format: format)
        self.encode = encode
        self.progress = ImportProgress(label: label, enabled: progress)
        self.keep = keep
    }

    func next() -> String? {
        while let text = reader.next() {
            lineNumber += 1
            do throws(ImportRowError) {
                guard let record = try records.record(text, line: lineNumber) else { continue }
                let line = try encode(record)
                good += 1
                if good & 0x3ff == 0 { progress.update(rows: good, rejected: rejected, bytes: reader.bytesRead) }
                return line
            } catch {
                rejected += 1
                if rejections.count < keep { rejections.append(error) }
            }
        }
        return nil
    }

    /// Draws the final progress line; throws when the file could not be read to its end.
    func finish() throws {
        progress.finish(rows: good, rejected: rejected, bytes: reader.bytesRead)
        if reader.failed { throw ImportFileError(message: "the file could not be decompressed to its end (gzip failed)") }
    }

    func summary(kind: String, staged: Int, imported: Int) -> ImportSummary {
        ImportSummary(
            kind: kind, imported: imported, duplicates: Swift.max(0, staged - imported), rejected: rejected,
            rejections: rejections)
    }
}
