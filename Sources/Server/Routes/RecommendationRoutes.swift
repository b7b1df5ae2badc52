import Domain
import Engine
import Foundation
import Hummingbird
import HummingbirdCore
import NIOCore

/// `/v1/recommendations/…` and `/v1/search`: the widgets a storefront embeds. Each handler reads
/// and bounds its inputs, calls `RecommendationService` once and writes its answer.
struct RecommendationRoutes: Sendable {
    let services: ServiceBundle

    func register(on group: RouterGroup<APIRequestContext>) {
        let bounds = services.configuration.inputBounds
        group.get("recommendations/homepage") { request, context in
            try await self.recommend(.homepage, request: request, context: context)
        }
        group.get("recommendations/product/{id}") { request, context in
            let id = try PathParameter.id(context, "id", bounds: bounds)
            return try await self.recommend(.product, request: request, context: context, anchor: id)
        }
        group.get("recommendations/cart") { request, context in
            try await self.recommend(.cart, request: request, context: context)
        }
        group.post("recommendations/cart") { request, context in
            var request = request
            let body = try await HTTPBody.decode(CartBody.self, from: &request, limit: self.services.configuration.maximumBodySize)
            guard let items = body.items else { throw APIError.missing("items") }
            try bounds.checkCount(items.count, maximum: bounds.maximumCartItems, field: "items")
            for (index, item) in items.enumerated() {
                try bounds.checkID(item, field: "items[\(index)]")
            }
            return try await self.recommend(
                .cart, request: request, context: context, cartItems: items, bodyUser: body.userID, bodyLimit: body.limit)
        }
        group.get("recommendations/frequently-bought-together/{id}") { request, context in
            let id = try PathParameter.id(context, "id", bounds: bounds)
            return try await self.recommend(.frequentlyBoughtTogether, request: request, context: context, anchor: id)
        }
        group.get("recommendations/trending") { request, context in
            let query = QueryReader(request.uri)
            let limit = try query.int("limit", default: 10, range: 1...self.services.configuration.maximumLimit)
            let category = try query.string("category")
            if let category {
                let bounds = self.services.configuration.inputBounds
                try bounds.checkText(category, field: "category", maximumCharacters: bounds.maximumCategoryCharacters)
            }
            let served = await self.services.recommendations.trending(category: category, limit: limit, requestID: context.id)
            let response = RecommendationResponse(served, explain: false)
            return Response(
                status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: response.jsonBuffer()))
        }
        group.get("search") { request, context in
            try await self.recommend(.search, request: request, context: context)
        }

    }

    private func recommend(
        _ widget: Widget, request: Request, context: APIRequestContext, anchor: ProductID? = nil,
        cartItems: [ProductID]? = nil, bodyUser: String? = nil, bodyLimit: Int? = nil
    ) async throws -> Response {
        let query = QueryReader(request.uri)
        let configuration = services.configuration
        let bounds = configuration.inputBounds
        let userID = try bodyUser ?? query.string("user_id", emptyMeansAbsent: false)
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
                try bounds.checkText(category, field: "category", maximumCharacters: bounds.maximumCategoryCharacters)
            }
            filter.minPrice = try query.double("price_min")
            filter.maxPrice = try query.double("price_max")
            if let min = filter.minPrice, let max = filter.maxPrice, min > max {
                throw APIError.invalid("price_min", "price_min must not exceed price_max")
            }
            filter.inStockOnly = try query.bool("in_stock", default: true)
            if let currency = try query.string("currency") {
                guard let code = CurrencyCode.normalized(currency) else {
                    throw APIError.invalid("currency", "currency must be a 3-letter ISO 4217 code")
                }
                filter.currency = code
            }
        } else if widget == .homepage {
            // A category landing page: the homepage's personalisation, inside one category.
            filter.category = try query.string("category")
            if let category = filter.category {
                try bounds.checkText(category, field: "category", maximumCharacters: bounds.maximumCategoryCharacters)
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
        let exclude = try query.string("exclude") ?? ""
        try bounds.checkText(exclude, field: "exclude", maximumCharacters: bounds.maximumExcludeCharacters)
        for id in exclude.split(separator: ",") {
            guard bounds.isValidID(String(id)) else {
                throw APIError.invalid("exclude", "exclude must be comma-separated product ids of 1–\(bounds.maximumIDLength) characters without whitespace or control characters")
            }
            blockList.insert(String(id))
        }
        var pinned: [Int: ProductID] = [:]
        let pin = try query.string("pin") ?? ""
        try bounds.checkText(pin, field: "pin", maximumCharacters: bounds.maximumPinCharacters)
        for entry in pin.split(separator: ",") {
            let parts = entry.split(separator: ":", maxSplits: 1)
            // Positions are plain decimals 1…maximumLimit, as `/openapi.json`'s pattern states. A
            // pin past this request's `limit` is dropped: the list has no such position (the
            // document cannot tie one parameter's range to another's value, so it is not a 400).
            guard parts.count == 2, let first = parts[0].first, first != "0", parts[0].count <= 3,
                parts[0].allSatisfy({ $0.isASCII && $0.isNumber }), let position = Int(parts[0]),
                (1...configuration.maximumLimit).contains(position), bounds.isValidID(String(parts[1]))
            else {
                throw APIError.invalid("pin", "pin must be position:product_id pairs with 1 ≤ position ≤ \(configuration.maximumLimit)")
            }
            if position <= limit { pinned[position - 1] = String(parts[1]) }
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

}

struct CartBody: Decodable {
    var userID: String?
    var items: [String]?
    var limit: Int?
    enum CodingKeys: String, CodingKey { case userID = "user_id", items, limit }
}

