import Domain
import Engine
import Foundation
import Hummingbird
import HummingbirdCore
import NIOCore

/// Every HTTP route, mapped onto the services. Handlers only parse and validate input, call one
/// service method and encode its answer; errors become responses in `APIError`.
public struct APIRoutes: Sendable {
    public let services: ServiceBundle

    public init(services: ServiceBundle) {
        self.services = services
    }

    public func register(on router: Router<APIRequestContext>) {
        router.get("/health") { _, _ in try await self.health() }
        router.get("/metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                body: .init(byteBuffer: ByteBuffer(string: self.services.metrics.prometheusText())))
        }
        let openAPI = OpenAPIDocument.served(readAccess: services.configuration.access.readAccess)
        router.get("/openapi.json") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: openAPI)))
        }

        let v1 = router.group("v1")
        let bounds = services.configuration.inputBounds
        v1.get("recommendations/homepage") { request, context in
            try await self.recommend(.homepage, request: request, context: context)
        }
        v1.get("recommendations/product/{id}") { request, context in
            let id = try PathParameter.id(context, "id", bounds: bounds)
            return try await self.recommend(.product, request: request, context: context, anchor: id)
        }
        v1.get("recommendations/cart") { request, context in
            try await self.recommend(.cart, request: request, context: context)
        }
        v1.post("recommendations/cart") { request, context in
            var request = request
            let body = try await Self.decode(CartBody.self, from: &request, limit: self.services.configuration.maximumBodySize)
            guard let items = body.items else { throw APIError.missing("items") }
            try bounds.checkCount(items.count, maximum: bounds.maximumCartItems, field: "items")
            for (index, item) in items.enumerated() {
                try bounds.checkID(item, field: "items[\(index)]")
            }
            return try await self.recommend(
                .cart, request: request, context: context, cartItems: items, bodyUser: body.userID, bodyLimit: body.limit)
        }
        v1.get("recommendations/frequently-bought-together/{id}") { request, context in
            let id = try PathParameter.id(context, "id", bounds: bounds)
            return try await self.recommend(.frequentlyBoughtTogether, request: request, context: context, anchor: id)
        }
        v1.get("recommendations/trending") { request, context in
            let query = QueryReader(request.uri)
            let limit = try query.int("limit", default: 10, range: 1...self.services.configuration.maximumLimit)
            let category = try query.string("category")
            if let category {
                let bounds = self.services.configuration.inputBounds
                try bounds.checkText(category, field: "category", maximumBytes: bounds.maximumCategoryBytes)
            }
            let served = await self.services.recommendations.trending(category: category, limit: limit, requestID: context.id)
            let response = RecommendationResponse(served, explain: false)
            return Response(
                status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: response.jsonBuffer()))
        }
        v1.get("search") { request, context in
            try await self.recommend(.search, request: request, context: context)
        }

        v1.get("products/{id}") { _, context in
            let id = try PathParameter.id(context, "id", bounds: bounds)
            guard let product = self.services.catalog.product(id), product.deletedAt == nil else {
                throw APIError.notFound("product", field: "id")
            }
            return try Self.json(ProductOutput(product))
        }
        v1.put("products/{id}") { request, context in
            let id = try PathParameter.id(context, "id", bounds: bounds)
            var request = request
            let input = try await Self.decode(ProductInput.self, from: &request, limit: self.services.configuration.maximumBodySize)
            let product = try input.validated(id: id, now: Date(), bounds: bounds)
            let stored = try await self.services.products.upsert([product])
            return try Self.json(ProductOutput(stored[0]))
        }
        v1.patch("products/{id}") { request, context in
            let id = try PathParameter.id(context, "id", bounds: bounds)
            var request = request
            let input = try await Self.decode(ProductInput.self, from: &request, limit: self.services.configuration.maximumBodySize)
            guard let existing = self.services.catalog.product(id), existing.deletedAt == nil else {
                throw APIError.notFound("product", field: "id")
            }
            let product = try input.applied(to: existing, now: Date(), bounds: bounds)
            let stored = try await self.services.products.upsert([product])
            return try Self.json(ProductOutput(stored[0]))
        }
        v1.delete("products/{id}") { _, context in
            let id = try PathParameter.id(context, "id", bounds: bounds)
            guard try await self.services.products.delete(id) else { throw APIError.notFound("product", field: "id") }
            return Response(status: .noContent)
        }
        v1.post("products:batch") { request, context in
            var request = request
            let body = try await Self.decode(ProductBatchBody.self, from: &request, limit: self.services.configuration.maximumBodySize)
            guard let inputs = body.products else { throw APIError.missing("products") }
            try bounds.checkCount(inputs.count, minimum: 1, maximum: bounds.maximumProductBatch, field: "products")
            let now = Date()
            let products = try inputs.enumerated().map { index, input in
                guard let id = input.productID else { throw APIError.missing("products[\(index)].product_id") }
                return try input.validated(id: id, now: now, prefix: "products[\(index)].", bounds: bounds)
            }
            let stored = try await self.services.products.upsert(products)
            return try Self.json(ProductBatchResult(stored: stored.count))
        }

        v1.post("events") { request, context in
            var request = request
            let buffer = try await Self.collect(&request, limit: self.services.configuration.maximumBodySize)
            let inputs = try EventBatchBody.decode(buffer)
            try bounds.checkCount(inputs.count, minimum: 1, maximum: bounds.maximumEventBatch, field: "events")
            let now = Date()
            let batch = inputs.count > 1
            let events = try inputs.enumerated().map { index, input in
                try input.validated(now: now, prefix: batch ? "events[\(index)]." : "", bounds: bounds)
            }
            let accepted = try await self.services.events.ingest(events, idempotencyKeys: inputs.map(\.eventID))
            return try Self.json(EventBatchResult(accepted: accepted), status: .accepted)
        }

        ExperimentRoutes(services: services).register(on: v1)
        WidgetSettingsRoutes(services: services).register(on: v1)
        DashboardRoutes(services: services).register(on: router)
    }

    // MARK: - Widgets

    private func recommend(
        _ widget: Widget, request: Request, context: APIRequestContext, anchor: ProductID? = nil,
        cartItems: [ProductID]? = nil, bodyUser: String? = nil, bodyLimit: Int? = nil
    ) async throws -> Response {
        let query = QueryReader(request.uri)
        let configuration = services.configuration
        let bounds = configuration.inputBounds
        let userID = try bodyUser ?? query.string("user_id")
        if let userID { try bounds.checkID(userID, field: "user_id") }
        var limit = try query.int("limit", default: 10, range: 1...configuration.maximumLimit)
        if let bodyLimit {
            guard (1...configuration.maximumLimit).contains(bodyLimit) else {
                throw APIError.invalid("limit", "limit must be between 1 and \(configuration.maximumLimit)")
            }
            limit = bodyLimit
        }
        let explain = try query.bool("explain", default: false)
        var filter = ProductFilter()
        var text: String?
        if widget == .search {
            let q = try query.requiredString("q")
            try bounds.checkText(q, field: "q", maximumCharacters: bounds.maximumQueryCharacters)
            text = q
            filter.category = try query.string("category")
            if let category = filter.category {
                try bounds.checkText(category, field: "category", maximumBytes: bounds.maximumCategoryBytes)
            }
            filter.minPrice = try query.double("price_min")
            filter.maxPrice = try query.double("price_max")
            if let min = filter.minPrice, let max = filter.maxPrice, min > max {
                throw APIError.invalid("price_min", "price_min must not exceed price_max")
            }
            filter.inStockOnly = try query.bool("in_stock", default: true)
            if let currency = try query.string("currency") {
                guard currency.utf8.count == 3, currency.utf8.allSatisfy({ (65...90).contains($0) || (97...122).contains($0) }) else {
                    throw APIError.invalid("currency", "currency must be a 3-letter ISO 4217 code")
                }
                filter.currency = currency.uppercased()
            }
        } else if widget == .homepage {
            // A category landing page: the homepage's personalisation, inside one category.
            filter.category = try query.string("category")
            if let category = filter.category {
                try bounds.checkText(category, field: "category", maximumBytes: bounds.maximumCategoryBytes)
            }
        }
        if let anchor {
            guard let product = services.catalog.product(anchor), product.deletedAt == nil else {
                throw APIError.notFound("product", field: "id")
            }
        }
        if widget == .cart, cartItems == nil, userID == nil {
            throw APIError.missing("user_id")
        }
        // Business overrides: `exclude=a,b` (block list) and `pin=1:p7,3:p9` (1-based positions).
        var blockList = Set<ProductID>()
        let excluded = (try query.string("exclude") ?? "").split(separator: ",").filter { !$0.isEmpty }
        try bounds.checkCount(excluded.count, maximum: bounds.maximumExcludedIDs, field: "exclude")
        for id in excluded {
            guard bounds.isValidID(String(id)) else {
                throw APIError.invalid("exclude", "exclude must be comma-separated product ids of 1–\(bounds.maximumIDBytes) UTF-8 bytes")
            }
            blockList.insert(String(id))
        }
        var pinned: [Int: ProductID] = [:]
        let pins = (try query.string("pin") ?? "").split(separator: ",").filter { !$0.isEmpty }
        try bounds.checkCount(pins.count, maximum: bounds.maximumPins, field: "pin")
        for entry in pins {
            let parts = entry.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, let position = Int(parts[0]), (1...limit).contains(position), bounds.isValidID(String(parts[1]))
            else {
                throw APIError.invalid("pin", "pin must be position:product_id pairs with 1 ≤ position ≤ limit")
            }
            pinned[position - 1] = String(parts[1])
        }
        let recommendationRequest = RecommendationRequest(
            widget: widget, userID: userID, anchorProductID: anchor, cartItems: cartItems ?? [], queryText: text,
            filter: filter, limit: limit)
        let served = try await services.recommendations.recommend(
            recommendationRequest, explicitCart: cartItems != nil, explain: explain, requestID: context.id,
            blockList: blockList, pinned: pinned)
        let response = RecommendationResponse(served, explain: explain)
        return Response(
            status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: response.jsonBuffer()))
    }

    private func health() async throws -> Response {
        let report = await services.health.report()
        return try Self.json(report, status: report.status == "down" ? .serviceUnavailable : .ok)
    }

    // MARK: - Coding

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok, encoder: JSONEncoder = APIRoutes.encoder) throws -> Response {
        let data = try encoder.encode(value)
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func collect(_ request: inout Request, limit: Int) async throws -> ByteBuffer {
        do {
            return try await request.collectBody(upTo: limit)
        } catch {
            throw APIError(
                status: .contentTooLarge, code: "body_too_large", message: "request body must be at most \(limit) bytes")
        }
    }

    static func decode<T: Decodable>(_ type: T.Type, from request: inout Request, limit: Int) async throws -> T {
        let buffer = try await collect(&request, limit: limit)
        return try BodyDecoder.decode(type, from: buffer)
    }
}

struct CartBody: Decodable {
    var userID: String?
    var items: [String]?
    var limit: Int?
    enum CodingKeys: String, CodingKey { case userID = "user_id", items, limit }
}

struct ProductBatchBody: Decodable {
    var products: [ProductInput]?
}

struct ProductBatchResult: Encodable {
    var stored: Int
}

struct EventBatchResult: Encodable {
    var accepted: Int
}

/// `POST /v1/events` takes one event, an array, or `{"events": [...]}`.
enum EventBatchBody {
    struct Wrapped: Decodable { var events: [EventInput]? }

    static func decode(_ buffer: ByteBuffer) throws -> [EventInput] {
        let data = Data(buffer.readableBytesView)
        let trimmed = data.first(where: { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09) })
        if trimmed == UInt8(ascii: "[") {
            return try BodyDecoder.decode([EventInput].self, from: buffer)
        }
        if let wrapped = try? BodyDecoder.makeDecoder().decode(Wrapped.self, from: data), let events = wrapped.events {
            return events
        }
        return [try BodyDecoder.decode(EventInput.self, from: buffer)]
    }
}
