import Foundation
import Hummingbird
import HummingbirdTesting
import Server
@testable import Engine
@testable import Ranking
@testable import ShopData
import Support
import Testing

/// Freshness: writes are visible to the very next request (the 1-second targets of issue #5 hold
/// because nothing is deferred: the catalog, the vector index and the shopper state are updated
/// before the write answers).
/// Whether both model directories are present (scripts/fetch-models.sh, models/).
let serverModelsPresent: Bool = {
    let root = StorageTestEnvironment.repositoryRoot.path
    return FileManager.default.fileExists(atPath: root + "/.models/all-MiniLM-L6-v2/model.safetensors")
        && FileManager.default.fileExists(atPath: root + "/models/retail-reranker/model.safetensors")
}()

@Suite(.enabled(if: ServerTestEnvironment.available && serverModelsPresent, "needs POSTGRES_URL, REDIS_URL and the models (scripts/fetch-models.sh)"))
struct ServerFreshnessTests {
    /// Both content indexes the service can run on (`--vector-index exact|hnsw`).
    @Test(arguments: ["exact", "hnsw"])
    func anUpsertedProductIsEmbeddedAndSearchableOnTheNextRequest(vectorIndex: String) async throws {
        let kind = try #require(VectorIndexKind(argument: vectorIndex))
        try await ServerTestEnvironment.withServer(loadModels: true, configure: { $0.vectorIndex = kind }) { client in
            _ = try await client.json("/v1/products:batch", method: .post, body: ServerRouteTests.catalogBatch)
            var (status, json) = try await client.json(
                "/v1/products/lantern-1", method: .put,
                body: #"{"name":"Solar powered garden lantern","category":"Lighting","price":19.5}"#)
            #expect(status == 200)
            (status, json) = try await client.json("/v1/search?q=solar+garden+lantern&limit=3")
            #expect(status == 200)
            #expect(productIDs(json).first == "lantern-1", "\(productIDs(json))")
            (status, json) = try await client.json("/v1/recommendations/product/lantern-1?limit=5&explain=true")
            #expect(status == 200)
            #expect((json["model_versions"] as? [String: String])?["cross_encoder"] != nil)
            // Out of stock: gone from search at once.
            _ = try await client.json("/v1/products/lantern-1", method: .patch, body: #"{"in_stock":false}"#)
            (_, json) = try await client.json("/v1/search?q=solar+garden+lantern&limit=3")
            #expect(!productIDs(json).contains("lantern-1"))
        }
    }
}
