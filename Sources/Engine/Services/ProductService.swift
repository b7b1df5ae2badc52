import Domain
import Foundation
import Logging
import Storage

/// Catalog writes: PostgreSQL first, then the live catalog and the vector index, so an upserted
/// product is recommendable (embedded and searchable) as soon as the call returns.
public final class ProductService: Sendable {
    let repository: ProductRepository
    let catalog: LiveCatalog
    let indexes: LiveIndexes
    let models: ModelRuntime
    /// Where the other replicas hear of a catalog write (`EventStreamTail.publishCatalogChange`).
    let stream: EventStreamTail
    let logger: Logger

    package init(
        repository: ProductRepository, catalog: LiveCatalog, indexes: LiveIndexes, models: ModelRuntime,
        stream: EventStreamTail, logger: Logger
    ) {
        self.repository = repository
        self.catalog = catalog
        self.indexes = indexes
        self.models = models
        self.stream = stream
        self.logger = logger
    }

    public func upsert(_ products: [Product]) async throws -> [Product] {
        do {
            try await repository.upsert(products)
        } catch let error as PostgresError where error.isRetryable || error.code == .poolClosed {
            throw ServiceError.unavailable("PostgreSQL")
        }
        catalog.upsert(products)
        // Embed now (the bi-encoder runs on the model pool); store the vectors for other replicas.
        if let modelVersion = models.modelVersions["bi_encoder"] {
            do {
                let vectors = try await models.embed(products.map(\.embeddingText))
                indexes.upsert(products: products, vectors: vectors)
                try await repository.storeEmbeddings(Array(zip(products.map(\.id), vectors)), modelVersion: modelVersion)
            } catch {
                logger.warning("embedding on upsert failed; product served without content signal", metadata: ["error": "\(error)"])
                indexes.upsert(products: products, vectors: nil)
            }
        } else {
            indexes.upsert(products: products, vectors: nil)
        }
        // After the embeddings are stored, so the others read product and vector in one go.
        await stream.publishCatalogChange()
        return products
    }

    public func delete(_ id: ProductID) async throws -> Bool {
        let now = Date()
        let deleted: Bool
        do {
            deleted = try await repository.delete(id, at: now)
        } catch let error as PostgresError where error.isRetryable || error.code == .poolClosed {
            throw ServiceError.unavailable("PostgreSQL")
        }
        if deleted, var product = catalog.product(id) {
            product.deletedAt = now
            catalog.upsert(product)
            indexes.delete(id)
        }
        if deleted { await stream.publishCatalogChange() }
        return deleted
    }
}
