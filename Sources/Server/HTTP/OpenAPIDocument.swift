import Domain
import Foundation
import Hummingbird
import Ranking

/// The OpenAPI 3.1 description of every route, served at `/openapi.json`.
///
/// Written by hand next to the routes; `undocumented(_:)` finds a registered route it misses.
enum OpenAPIDocument {
    static let widgetParameters = """
        {"name":"user_id","in":"query","description":"1–256 UTF-8 bytes, no whitespace or control characters","schema":{"type":"string","minLength":1,"maxLength":256}},
        {"name":"limit","in":"query","schema":{"type":"integer","minimum":1,"maximum":100,"default":10}},
        {"name":"explain","in":"query","schema":{"type":"boolean","default":false}},
        {"name":"exclude","in":"query","description":"comma-separated product ids never to show (at most 500)","schema":{"type":"string"}},
        {"name":"pin","in":"query","description":"position:product_id pairs (1-based, at most 100) to pin","schema":{"type":"string"}}
        """

    /// The widget parameters with `user_id` required (the cart in Redis belongs to a user).
    static let cartParameters = widgetParameters.replacingOccurrences(
        of: #"{"name":"user_id","in":"query","#, with: #"{"name":"user_id","in":"query","required":true,"#)

    static let widgetPathParameter = """
        {"name":"widget","in":"path","required":true,"schema":{"type":"string","enum":[\(Widget.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ","))]}}
        """

    static let recommendationResponse = """
        {"200":{"description":"Ranked items","content":{"application/json":{"schema":{"$ref":"#/components/schemas/Recommendations"}}}},
         "400":{"$ref":"#/components/responses/BadRequest"},"404":{"$ref":"#/components/responses/NotFound"}}
        """

    /// Every operation the document describes, as "METHOD /path" (the path a route is
    /// registered under, e.g. "GET /v1/products/{id}").
    static let operations: Set<String> = {
        let methods: Set<String> = ["get", "put", "post", "patch", "delete", "head", "options"]
        let document = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        let paths = document?["paths"] as? [String: [String: Any]] ?? [:]
        return Set(paths.flatMap { path, item in
            item.keys.filter(methods.contains).map { "\($0.uppercased()) \(path)" }
        })
    }()

    /// Each described path as its segments (`{id}` matches any one segment) with its methods.
    static let pathMethods: [(segments: [Substring], methods: [String])] = {
        let document = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        let paths = document?["paths"] as? [String: [String: Any]] ?? [:]
        let known: Set<String> = ["get", "put", "post", "patch", "delete", "head", "options"]
        return paths.map { path, item in
            (path.split(separator: "/"), item.keys.filter(known.contains).map { $0.uppercased() }.sorted())
        }
    }()

    /// The methods the document lists for `path` (a concrete request path), empty when no
    /// described path matches it.
    static func methods(forPath path: String) -> [String] {
        let segments = path.split(separator: "/")
        var methods: Set<String> = []
        for entry in pathMethods where entry.segments.count == segments.count {
            let matches = zip(entry.segments, segments).allSatisfy { template, actual in
                (template.hasPrefix("{") && template.hasSuffix("}")) || template == actual
            }
            if matches { methods.formUnion(entry.methods) }
        }
        return methods.sorted()
    }

    /// The registered routes this document does not describe, as "METHOD /path", sorted; empty
    /// when it describes them all. The composition root asserts it is empty, so a route added
    /// without its description stops every debug build's server (and so the test suite) at start.
    static func undocumented<Context>(_ routes: [Router<Context>.RouteDescription]) -> [String] {
        routes.map { "\($0.method.rawValue) \($0.path)" }.filter { !operations.contains($0) }.sorted()
    }

    static let json: String = """
        {
          "openapi": "3.1.0",
          "info": {"title": "HybridRank", "version": "1.0.0",
                   "description": "Four-stage hybrid recommendation and ranking service with A/B experiments."},
          "paths": {
            "/health": {"get": {"summary": "Liveness and each dependency (PostgreSQL, Redis, models)",
                                "responses": {"200": {"description": "Healthy or degraded"}, "503": {"description": "Not serving"}}}},
            "/metrics": {"get": {"summary": "Prometheus metrics", "responses": {"200": {"description": "text/plain exposition"}}}},
            "/openapi.json": {"get": {"summary": "This document", "responses": {"200": {"description": "OpenAPI JSON"}}}},
            "/dashboard": {"get": {"summary": "Experiments dashboard (HTML)", "responses": {"200": {"description": "HTML page"}}}},
            "/v1/recommendations/homepage": {"get": {"summary": "Personalised homepage widget (cold start: popular/trending); category= for a category landing page",
                "parameters": [{"name":"category","in":"query","description":"only products of this category (any case)","schema":{"type":"string"}}, \(widgetParameters)], "responses": \(recommendationResponse)}},
            "/v1/recommendations/trending": {"get": {"summary": "The shop's trending products (decayed popularity shared by replicas), shop-wide or in one category",
                "parameters": [{"name":"category","in":"query","description":"one category (any case)","schema":{"type":"string","minLength":1,"maxLength":256}},
                               {"name":"limit","in":"query","schema":{"type":"integer","minimum":1,"maximum":100}}],
                "responses": \(recommendationResponse)}},
            "/v1/recommendations/product/{id}": {"get": {"summary": "Similar and co-purchased items for a product page",
                "parameters": [{"name":"id","in":"path","required":true,"schema":{"type":"string"}}, \(widgetParameters)],
                "responses": \(recommendationResponse)}},
            "/v1/recommendations/cart": {
                "get": {"summary": "Recommendations for the user's current cart (from Redis)",
                        "parameters": [\(cartParameters)], "responses": \(recommendationResponse)},
                "post": {"summary": "Recommendations for an explicit list of cart items",
                         "parameters": [\(widgetParameters)],
                         "requestBody": {"content": {"application/json": {"schema": {"type":"object",
                            "properties": {"user_id":{"type":"string"},"items":{"type":"array","items":{"type":"string"}},"limit":{"type":"integer"}},
                            "required": ["items"]}}}},
                         "responses": \(recommendationResponse)}},
            "/v1/recommendations/frequently-bought-together/{id}": {"get": {"summary": "Co-purchase first, similarity as fallback",
                "parameters": [{"name":"id","in":"path","required":true,"schema":{"type":"string"}}, \(widgetParameters)],
                "responses": \(recommendationResponse)}},
            "/v1/search": {"get": {"summary": "Semantic search: bi-encoder query vector plus filters",
                "parameters": [{"name":"q","in":"query","required":true,"schema":{"type":"string","minLength":1,"maxLength":1000}},
                               {"name":"category","in":"query","description":"matched without regard to case","schema":{"type":"string"}},
                               {"name":"price_min","in":"query","schema":{"type":"number"}},
                               {"name":"price_max","in":"query","schema":{"type":"number"}},
                               {"name":"currency","in":"query","description":"only products priced in this ISO 4217 currency; a price filter without it holds in the catalog's main currency when the catalog mixes currencies","schema":{"type":"string","pattern":"^[A-Za-z]{3}$"}},
                               {"name":"in_stock","in":"query","description":"true or absent: only products in stock; false: sold-out products too","schema":{"type":"boolean"}}, \(widgetParameters)],
                "responses": \(recommendationResponse)}},
            "/v1/products/{id}": {
                "get": {"summary": "Read a product", "parameters": [{"name":"id","in":"path","required":true,"schema":{"type":"string"}}],
                        "responses": {"200": {"description": "Product"}, "400": {"$ref":"#/components/responses/BadRequest"}, "404": {"$ref":"#/components/responses/NotFound"}}},
                "put": {"summary": "Create or replace a product (embedded and recommendable within a second)",
                        "parameters": [{"name":"id","in":"path","required":true,"schema":{"type":"string"}}],
                        "requestBody": {"content": {"application/json": {"schema": {"$ref":"#/components/schemas/Product"}}}},
                        "responses": {"200": {"description": "Stored"}, "400": {"$ref":"#/components/responses/BadRequest"}, "503": {"description": "PostgreSQL unavailable"}}},
                "patch": {"summary": "Change some fields of a product",
                        "parameters": [{"name":"id","in":"path","required":true,"schema":{"type":"string"}}],
                        "requestBody": {"content": {"application/json": {"schema": {"$ref":"#/components/schemas/Product"}}}},
                        "responses": {"200": {"description": "Stored"}, "400": {"$ref":"#/components/responses/BadRequest"}, "404": {"$ref":"#/components/responses/NotFound"}, "503": {"description": "PostgreSQL unavailable"}}},
                "delete": {"summary": "Delete a product (soft delete; leaves every widget at once)",
                        "parameters": [{"name":"id","in":"path","required":true,"schema":{"type":"string"}}],
                        "responses": {"204": {"description": "Deleted"}, "400": {"$ref":"#/components/responses/BadRequest"}, "404": {"$ref":"#/components/responses/NotFound"}, "503": {"description": "PostgreSQL unavailable"}}}},
            "/v1/products:batch": {"post": {"summary": "Upsert up to 1,000 products",
                "requestBody": {"content": {"application/json": {"schema": {"type":"object","required":["products"],"properties":{"products":{"type":"array","minItems":1,"maxItems":1000,"items":{"$ref":"#/components/schemas/Product"}}}}}}},
                "responses": {"200": {"description": "Stored"}, "400": {"$ref":"#/components/responses/BadRequest"}}}},
            "/v1/events": {"post": {"summary": "Record one event or a batch; durable in PostgreSQL before 2xx",
                "requestBody": {"content": {"application/json": {"schema": {"oneOf": [{"$ref":"#/components/schemas/Event"},
                    {"type":"array","minItems":1,"maxItems":1000,"items":{"$ref":"#/components/schemas/Event"}},
                    {"type":"object","required":["events"],"properties":{"events":{"type":"array","minItems":1,"maxItems":1000,"items":{"$ref":"#/components/schemas/Event"}}}}]}}}},
                "responses": {"202": {"description": "Accepted and stored"}, "400": {"$ref":"#/components/responses/BadRequest"}, "503": {"description": "PostgreSQL unavailable; nothing stored, retry"}}}},
            "/v1/experiments": {
                "get": {"summary": "List experiments", "responses": {"200": {"description": "Experiments"}}},
                "post": {"summary": "Create an experiment (draft)",
                         "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref":"#/components/schemas/Experiment"}}}},
                         "responses": {"201": {"description": "Created"}, "400": {"$ref":"#/components/responses/BadRequest"}, "409": {"description": "Exists"}}}},
            "/v1/experiments/{key}": {
                "get": {"summary": "Read an experiment", "parameters": [{"name":"key","in":"path","required":true,"schema":{"type":"string"}}], "responses": {"200": {"description": "Experiment"}, "400": {"$ref":"#/components/responses/BadRequest"}, "404": {"$ref":"#/components/responses/NotFound"}}},
                "put": {"summary": "Update a draft experiment", "parameters": [{"name":"key","in":"path","required":true,"schema":{"type":"string"}}], "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref":"#/components/schemas/Experiment"}}}}, "responses": {"404": {"$ref":"#/components/responses/NotFound"}, "200": {"description": "Updated"}, "400": {"$ref":"#/components/responses/BadRequest"}, "409": {"description": "Not a draft"}}}},
            "/v1/experiments/{key}/start": {"post": {"summary": "Start (draft → running)", "parameters": [{"name":"key","in":"path","required":true,"schema":{"type":"string"}}], "responses": {"200": {"description": "Running"}, "404": {"$ref":"#/components/responses/NotFound"}, "409": {"description": "Conflicts with a running experiment"}}}},
            "/v1/experiments/{key}/stop": {"post": {"summary": "Stop (running → stopped; results kept)", "parameters": [{"name":"key","in":"path","required":true,"schema":{"type":"string"}}], "responses": {"200": {"description": "Stopped"}, "404": {"$ref":"#/components/responses/NotFound"}, "409": {"description": "Not running"}}}},
            "/v1/experiments/{key}/results": {"get": {"summary": "Per-variant metrics with 95% intervals, lifts, p-values, SRM, CUPED, latency guardrail",
                "parameters": [{"name":"key","in":"path","required":true,"schema":{"type":"string"}}], "responses": {"200": {"description": "Results"}, "400": {"$ref":"#/components/responses/BadRequest"}, "404": {"$ref":"#/components/responses/NotFound"}}}},
            "/v1/widgets": {"get": {"summary": "Every widget's standing settings and the options they resolve to",
                "responses": {"200": {"description": "Widgets"}, "503": {"description": "PostgreSQL unavailable"}}}},
            "/v1/widgets/{widget}/settings": {
                "get": {"summary": "One widget's settings and effective options (before any experiment variant)",
                        "parameters": [\(widgetPathParameter)],
                        "responses": {"200": {"description": "Settings"}, "404": {"$ref":"#/components/responses/NotFound"}, "503": {"description": "PostgreSQL unavailable"}}},
                "put": {"summary": "Replace one widget's settings (every replica applies them within the refresh interval)",
                        "parameters": [\(widgetPathParameter)],
                        "requestBody": {"content": {"application/json": {"schema": {"$ref":"#/components/schemas/WidgetSettings"}}}},
                        "responses": {"200": {"description": "Stored"}, "400": {"$ref":"#/components/responses/BadRequest"}, "404": {"$ref":"#/components/responses/NotFound"}, "503": {"description": "PostgreSQL unavailable"}}},
                "delete": {"summary": "Reset one widget to the built-in defaults",
                        "parameters": [\(widgetPathParameter)],
                        "responses": {"204": {"description": "Reset"}, "404": {"$ref":"#/components/responses/NotFound"}, "503": {"description": "PostgreSQL unavailable"}}}}
          },
          "components": {
            "responses": {
              "BadRequest": {"description": "Invalid input", "content": {"application/json": {"schema": {"$ref":"#/components/schemas/Error"}}}},
              "NotFound": {"description": "Unknown resource", "content": {"application/json": {"schema": {"$ref":"#/components/schemas/Error"}}}}
            },
            "schemas": {
              "Error": {"type":"object","properties":{"error":{"type":"object","properties":{"code":{"type":"string"},"message":{"type":"string"},"field":{"type":["string","null"]}}}}},
              "Product": {"type":"object","properties":{"product_id":{"type":"string","minLength":1,"maxLength":256},"name":{"type":"string","minLength":1,"maxLength":500},"description":{"type":"string","maxLength":10000},
                  "category":{"type":"string","maxLength":256},"price":{"type":"number","minimum":0},"currency":{"type":"string","minLength":3,"maxLength":3},"stock_quantity":{"type":"integer","minimum":0,"maximum":2147483647},
                  "in_stock":{"type":"boolean"},"promoted":{"type":"boolean"},"created_at":{"type":"string","format":"date-time","description":"1970-01-01T00:00:00Z to 2200-01-01T00:00:00Z"}}},
              "Event": {"type":"object","required":["user_id","product_id","event"],"properties":{"user_id":{"type":"string","minLength":1,"maxLength":256},"product_id":{"type":"string","minLength":1,"maxLength":256},
                  "event":{"type":"string","enum":["view","cart_add","cart_remove","wishlist_add","purchase","recommendation_click"]},
                  "quantity":{"type":"integer","minimum":1,"maximum":100000},"value":{"type":"number","minimum":0},"request_id":{"type":"string","minLength":1,"maxLength":256},"basket_id":{"type":"string","minLength":1,"maxLength":256},
                  "timestamp":{"type":"string","format":"date-time","description":"from 1970-01-01T00:00:00Z to 5 minutes from now"},"event_id":{"type":"string","minLength":1,"maxLength":256}}},
              "Experiment": {"type":"object","additionalProperties":false,"required":["widgets","variants"],
                  "description":"key may be left out on PUT (the path names it); an unknown key anywhere is a 400 naming it",
                  "properties":{"key":{"type":"string","pattern":"^[A-Za-z0-9_.-]{1,64}$"},"description":{"type":"string","maxLength":2000},
                  "widgets":{"type":"array","minItems":1,"items":{"type":"string","enum":[\(Widget.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ","))]}},
                  "status":{"type":"string","enum":["draft","running","stopped"]},"hash_seed":{"type":"string","maxLength":256},
                  "hash_version":{"type":"integer","enum":[1,2]},"coverage":{"type":"number","minimum":0,"maximum":1},
                  "namespace":{"type":"object","required":["name","start","end"],"properties":{"name":{"type":"string","minLength":1,"maxLength":128},"start":{"type":"number","minimum":0,"maximum":1},"end":{"type":"number","minimum":0,"maximum":1}}},
                  "starts_at":{"type":"string","format":"date-time"},"ends_at":{"type":"string","format":"date-time"},
                  "variants":{"type":"array","minItems":2,"items":{"type":"object","additionalProperties":false,"required":["key","weight"],
                      "properties":{"key":{"type":"string","minLength":1},"weight":{"type":"number","minimum":0,"maximum":1},
                      "parameters":{"$ref":"#/components/schemas/WidgetSettings/properties/parameters"}}}}}},
              "WidgetSettings": {"type":"object","properties":{
                  "parameters":{"type":"object","additionalProperties":false,"description":"the ranking parameters an experiment variant may set; an unknown key is a 400 naming it","properties":{
                      "alpha":{"type":"number","minimum":0},"beta":{"type":"number","minimum":0},"gamma":{"type":"number","minimum":0},
                      "item2vec_weight":{"type":"number","minimum":0,"description":"weight of the item2vec signal; only where the service trains item2vec"},
                      "candidates_per_source":{"type":"integer","minimum":1},"rerank_window":{"type":"integer","minimum":0},
                      "rerank_combination":{"type":"string","enum":["additive","replace","rrf"]},"rerank_weight":{"type":"number","minimum":0},
                      "rerank_budget_ms":{"type":"number","exclusiveMinimum":0,"maximum":1000,"description":"required with a rerank_window above 50"},
                      "diversity_max_per_category":{"type":"integer","minimum":0},"diversity_window":{"type":"integer","minimum":0},
                      "promotion_boost":{"type":"number","minimum":0},"new_arrival_boost":{"type":"number","minimum":0},
                      "new_arrival_days":{"type":"integer","minimum":0},"mmr_lambda":{"type":"number","minimum":0,"maximum":1},"exclude_recent_purchases_days":{"type":"integer","minimum":0,"maximum":3650},
                      "enabled_rules":{"type":"array","items":{"type":"string"}},"disabled_rules":{"type":"array","items":{"type":"string"}}}},
                  "block_list":{"type":"array","items":{"type":"string"},"maxItems":1000},
                  "pinned":{"type":"array","maxItems":20,"items":{"type":"object","required":["position","product_id"],
                      "properties":{"position":{"type":"integer","minimum":1},"product_id":{"type":"string"}}}}}},
              "Recommendations": {"type":"object","properties":{"request_id":{"type":"string"},"widget":{"type":"string"},
                  "experiment":{"type":["object","null"]},"model_versions":{"type":"object"},"generated_at":{"type":"string","format":"date-time"},
                  "timings_ms":{"type":"object"},"items":{"type":"array","items":{"type":"object","properties":{"product_id":{"type":"string"},
                  "name":{"type":"string"},"category":{"type":"string"},"price":{"type":"number"},"score":{"type":"number"},"position":{"type":"integer"},
                  "explain":{"type":"object"}}}}}}
            }
          }
        }
        """
}
