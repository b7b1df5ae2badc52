import Domain
import Engine
import Foundation
import Hummingbird

/// `/v1/products…`: the shop's catalog writes and reads (PostgreSQL first, then every replica).
struct CatalogRoutes: Sendable {
    let services: ServiceBundle

    func register(on group: RouterGroup<APIRequestContext>) {
        let bounds = services.configuration.inputBounds
        group.get("products/{id}") { _, context in
            let id = try PathParameter.id(context, "id", bounds: bounds)
            guard let product = self.services.catalog.product(id), product.deletedAt == nil else {
                throw APIError.notFound("product", field: "id")
            }
            return try HTTPBody.json(ProductOutput(product))
        }
        group.put("products/{id}") { request, context in
            let id = try PathParameter.id(context, "id", bounds: bounds)
            var request = request
            let input = try await HTTPBody.decode(ProductInput.self, from: &request, limit: self.services.configuration.maximumBodySize)
            let product = try input.validated(
                id: id, now: Date(), bounds: bounds, storedCreatedAt: self.services.catalog.product(id)?.createdAt)
            let stored = try await self.services.products.upsert([product])
            return try HTTPBody.json(ProductOutput(stored[0]))
        }
        group.patch("products/{id}") { request, context in
            let id = try PathParameter.id(context, "id", bounds: bounds)
            var request = request
            let input = try await HTTPBody.decode(ProductInput.self, from: &request, limit: self.services.configuration.maximumBodySize)
            guard let existing = self.services.catalog.product(id), existing.deletedAt == nil else {
                throw APIError.notFound("product", field: "id")
            }
            let product = try input.applied(to: existing, now: Date(), bounds: bounds)
            let stored = try await self.services.products.upsert([product])
            return try HTTPBody.json(ProductOutput(stored[0]))
        }
        group.delete("products/{id}") { _, context in
            let id = try PathParameter.id(context, "id", bounds: bounds)
            guard try await self.services.products.delete(id) else { throw APIError.notFound("product", field: "id") }
            return Response(status: .noContent)
        }
        group.post("products:batch") { request, context in
            var request = request
            let body = try await HTTPBody.decode(ProductBatchBody.self, from: &request, limit: self.services.configuration.maximumBodySize)
            guard let inputs = body.products else { throw APIError.missing("products") }
            try bounds.checkCount(inputs.count, minimum: 1, maximum: bounds.maximumProductBatch, field: "products")
            let now = Date()
            let products = try inputs.enumerated().map { index, input in
                guard let id = input.productID else { throw APIError.missing("products[\(index)].product_id") }
                return try input.validated(
                    id: id, now: now, prefix: "products[\(index)].", bounds: bounds,
                    storedCreatedAt: self.services.catalog.product(id)?.createdAt)
            }
            let stored = try await self.services.products.upsert(products)
            return try HTTPBody.json(ProductBatchResult(stored: stored.count))
        }

    }
}

struct ProductBatchBody: Decodable {
    var products: [ProductInput]?
}

struct ProductBatchResult: Encodable {
    var stored: Int
}

