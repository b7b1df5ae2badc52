import Domain
import Foundation
import Storage

/// SQL for the catalog tables (`products`, `product_embeddings`); PostgreSQL is the source of truth.
public struct ProductRepository: Sendable {
    let postgres: PostgresClient

    public init(postgres: PostgresClient) {
        self.postgres = postgres
    }

    static let columns =
        "id, name, description, category, price, currency, stock_quantity, in_stock, promoted, created_at, updated_at, deleted_at"

    /// Inserts or replaces products in one transaction (an upsert also undeletes).
    public func upsert(_ products: [Product]) async throws {
        try await postgres.withTransaction { connection in
            for product in products {
                _ = try connection.execute(
                    """
                    INSERT INTO products (\(Self.columns))
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, NULL)
                    ON CONFLICT (id) DO UPDATE SET
                        name = EXCLUDED.name, description = EXCLUDED.description, category = EXCLUDED.category,
                        price = EXCLUDED.price, currency = EXCLUDED.currency, stock_quantity = EXCLUDED.stock_quantity,
                        in_stock = EXCLUDED.in_stock, promoted = EXCLUDED.promoted, created_at = EXCLUDED.created_at,
                        updated_at = EXCLUDED.updated_at, deleted_at = NULL
                    """,
                    [
                        product.id, product.name, product.description, product.category, product.price,
                        product.currency, product.stockQuantity, product.inStock, product.promoted,
                        product.createdAt, product.updatedAt,
                    ])
            }
            return ()
        }
    }

    /// Soft-deletes a product; returns false when it does not exist or is already deleted.
    public func delete(_ id: ProductID, at date: Date) async throws -> Bool {
        try await postgres.execute(
            "UPDATE products SET deleted_at = $2, updated_at = $2 WHERE id = $1 AND deleted_at IS NULL", [id, date]) > 0
    }

    /// Every product, deleted ones too (so a replica learns about deletions at start).
    public func all() async throws -> [Product] {
        try await postgres.query("SELECT \(Self.columns) FROM products").map(Self.decode)
    }

    static func decode(_ row: PostgresRow) throws -> Product {
        Product(
            id: try row.string("id"), name: try row.string("name"),
            description: try row.optionalString("description") ?? "",
            category: try row.optionalString("category") ?? "", price: try row.optionalDouble("price") ?? 0,
            currency: try row.optionalString("currency") ?? "GBP", stockQuantity: try row.optionalInt("stock_quantity"),
            inStock: try row.bool("in_stock"), promoted: try row.bool("promoted"),
            createdAt: try row.date("created_at"), updatedAt: try row.date("updated_at"),
            deletedAt: try row.optionalDate("deleted_at"))
    }

    /// Stores embeddings for one model version.
    public func storeEmbeddings(_ vectors: [(ProductID, [Float])], modelVersion: String) async throws {
        try await postgres.withTransaction { connection in
            for (id, vector) in vectors {
                _ = try connection.execute(
                    """
                    INSERT INTO product_embeddings (product_id, model_version, vector, updated_at)
                    VALUES ($1, $2, $3, now())
                    ON CONFLICT (product_id, model_version) DO UPDATE SET vector = EXCLUDED.vector, updated_at = now()
                    """,
                    [id, modelVersion, vector])
            }
            return ()
        }
    }

    /// Every stored embedding of one model version.
    public func embeddings(modelVersion: String) async throws -> [ProductID: [Float]] {
        let rows = try await postgres.query(
            "SELECT product_id, vector FROM product_embeddings WHERE model_version = $1", [modelVersion])
        var result: [ProductID: [Float]] = [:]
        result.reserveCapacity(rows.count)
        for row in rows { result[try row.string("product_id")] = try row.floats("vector") }
        return result
    }

    /// PostgreSQL's clock now: catalog reconciliation keeps its watermark on the database's clock,
    /// not on the replicas' own.
    public func databaseNow() async throws -> Date {
        try await postgres.query("SELECT now() AS now")[0].date("now")
    }

    /// Products written (upserted or deleted) after `since`. - Complexity: an index range scan
    /// (`products_updated_at_idx`).
    public func changed(since: Date) async throws -> [Product] {
        try await postgres.query("SELECT \(Self.columns) FROM products WHERE updated_at > $1", [since]).map(Self.decode)
    }

    /// Embeddings of `modelVersion` stored after `since` (the database's clock).
    public func embeddingsChanged(since: Date, modelVersion: String) async throws -> [(ProductID, [Float])] {
        try await postgres.query(
            "SELECT product_id, vector FROM product_embeddings WHERE model_version = $1 AND updated_at > $2",
            [modelVersion, since]
        ).map { (try $0.string("product_id"), try $0.floats("vector")) }
    }

    /// Products whose embedding for `modelVersion` is missing or older than the product (resumable embedding).
    public func productsNeedingEmbedding(modelVersion: String, limit: Int) async throws -> [Product] {
        try await postgres.query(
            """
            SELECT \(Self.columns.split(separator: ",").map { "p." + $0.trimmingCharacters(in: .whitespaces) }.joined(separator: ", "))
            \(Self.needingEmbedding)
            ORDER BY p.id LIMIT $2
            """, [modelVersion, limit]
        ).map(Self.decode)
    }

    /// How many products `productsNeedingEmbedding` has left to give (a progress total).
    public func countNeedingEmbedding(modelVersion: String) async throws -> Int {
        try await postgres.query("SELECT count(*) AS n \(Self.needingEmbedding)", [modelVersion]).first.map { try $0.int("n") } ?? 0
    }

    /// The products without a current embedding of model `$1`: one condition for the batches and
    /// their count.
    private static let needingEmbedding = """
        FROM products p LEFT JOIN product_embeddings e ON e.product_id = p.id AND e.model_version = $1
        WHERE p.deleted_at IS NULL AND (e.product_id IS NULL OR e.updated_at < p.updated_at)
        """
}
