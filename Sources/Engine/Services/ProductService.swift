import Domain
import Foundation
import Logging
import Storage

/// Catalog writes: PostgreSQL first, then the live catalog and the vector index, so an upserted
/// product is recommendable (embedded and searchable) as soon as the call returns.
public final class ProductService: Sendable {
    let replica: ReplicaState

    package init(replica: ReplicaState) {
        self.replica = replica
    }

    public func upsert(_ products: [Product]) async throws -> [Product] {
        try await ServiceError.postgresGuarded { try await self.replica.products.upsert(products) }
        replica.catalog.upsert(products)
        // Embed now (the bi-encoder runs on the model pool); store the vectors for other replicas.
        if let modelVersion = replica.models.modelVersions["bi_encoder"] {
            do {
                let vectors = try await replica.models.embed(products.map(\.embeddingText))
                replica.indexes.upsert(products: products, vectors: vectors)
                try await replica.products.storeEmbeddings(Array(zip(products.map(\.id), vectors)), modelVersion: modelVersion)
            } catch {
                replica.logger.warning("embedding on upsert failed; product served without content signal", metadata: ["error": "\(error)"])
                replica.indexes.upsert(products: products, vectors: nil)
            }
        } else {
            replica.indexes.upsert(products: products, vectors: nil)
        }
        // After the embeddings are stored, so the others read product and vector in one go
        // (`EventStreamTail.publishCatalogChange` is where the other replicas hear of it).
        await replica.stream.publishCatalogChange()
        return products
    }

    public func delete(_ id: ProductID) async throws -> Bool {
        let now = Date()
        let deleted = try await ServiceError.postgresGuarded { try await self.replica.products.delete(id, at: now) }
        if deleted, var product = replica.catalog.product(id) {
            product.deletedAt = now
            replica.catalog.upsert(product)
            replica.indexes.delete(id)
        }
        if deleted { await replica.stream.publishCatalogChange() }
        return deleted
    }
}
