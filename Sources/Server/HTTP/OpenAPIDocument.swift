import Domain
import Engine
import Experiments
import Foundation
import Hummingbird
import Ranking

/// The OpenAPI 3.1 description of every route, served at `/openapi.json`.
///
/// Written by hand next to the routes; `undocumented(_:)` finds a registered route it misses.
enum OpenAPIDocument {
    /// The id rule (`IdentifierRule`) as a schema: JSON Schema counts `maxLength` in code points,
    /// as the service does, and the pattern excludes exactly what the service refuses.
    static let idSchema =
        #"{"type":"string","minLength":1,"maxLength":\#(IdentifierRule.maximumLength),"pattern":"\#(jsonEscaped(IdentifierRule.pattern))"}"#

    /// Free text in a body (`InputBounds.checkText`) of at most `maxLength` code points.
    static func textSchema(minLength: Int = 0, maxLength: Int) -> String {
        let pattern = TextRule.pattern(minimumCharacters: minLength, maximumCharacters: maxLength)
        return #"{"type":"string","minLength":\#(minLength),"maxLength":\#(maxLength),"pattern":"\#(jsonEscaped(pattern))"}"#
    }

    /// A product name: free text with at least one character that is neither whitespace nor a
    /// control (`ProductInput` refuses a blank name); the length is `maxLength`'s alone.
    static let nameSchema: String = {
        let text = TextRule.excludedCharacters
        let pattern = "^[^\(text)]*[^\(IdentifierRule.excludedCharacters)][^\(text)]*$"
        return #"{"type":"string","minLength":1,"maxLength":500,"pattern":"\#(jsonEscaped(pattern))"}"#
    }()

    /// A query value that is free text (`QueryReader` refuses every control character there, tab
    /// and line breaks too); empty means absent.
    static func queryTextSchema(minLength: Int = 0, maxLength: Int) -> String {
        let pattern = #"^[^\x00-\x1f\x7f-\x9f]{\#(minLength),\#(maxLength)}$"#
        return #"{"type":"string","minLength":\#(minLength),"maxLength":\#(maxLength),"pattern":"\#(jsonEscaped(pattern))"}"#
    }

    /// `exclude=a,b`: comma-separated ids, empty entries skipped, `InputBounds.maximumExcludeCharacters`
    /// in all (an unbounded repetition: the regex engine schemathesis validates with refuses counted
    /// ones this big).
    static let excludeSchema: String = {
        let id = "[^,\(IdentifierRule.excludedCharacters)]{0,\(IdentifierRule.maximumLength)}"
        let pattern = "^\(id)(?:,\(id))*$"
        return #"{"type":"string","maxLength":\#(InputBounds().maximumExcludeCharacters),"pattern":"\#(jsonEscaped(pattern))"}"#
    }()

    /// `pin=1:p7,3:p9`: comma-separated position:id entries (positions 1–100 written plainly), empty
    /// entries skipped, `InputBounds.maximumPinCharacters` in all.
    static let pinSchema: String = {
        let pin = "(?:[1-9][0-9]?|100):[^,\(IdentifierRule.excludedCharacters)]{1,\(IdentifierRule.maximumLength)}"
        let pattern = "^(?:\(pin))?(?:,(?:\(pin))?)*$"
        return #"{"type":"string","maxLength":\#(InputBounds().maximumPinCharacters),"pattern":"\#(jsonEscaped(pattern))"}"#
    }()

    static func jsonEscaped(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    }

    static func pathParameter(_ name: String) -> String {
        #"{"name":"\#(name)","in":"path","required":true,"schema":\#(idSchema)}"#
    }

    /// A product body; `required` lists the fields this operation needs (PUT: `name`; a batch item:
    /// `product_id` and `name`). Inline per operation rather than `allOf` over one `$ref`, so a
    /// required field is not also nullable (optional fields take `null`: `served`).
    static func productSchema(required: [String]) -> String {
        let list = required.map { "\"\($0)\"" }.joined(separator: ",")
        return #"{"type":"object","required":[\#(list)],"# + productProperties
    }

    static let productProperties = """
        "properties":{"product_id":\(idSchema),"name":\(nameSchema),"description":\(textSchema(maxLength: 10000)),
                      "category":\(textSchema(maxLength: 256)),"price":{"type":"number","minimum":0},"currency":{"type":"string","pattern":"^[A-Za-z]{3}$"},"stock_quantity":{"type":"integer","minimum":0,"maximum":2147483647},
                      "in_stock":{"type":"boolean"},"promoted":{"type":"boolean"},"created_at":{"type":["string","number"],"format":"date-time","pattern":"^(?:19[7-9][0-9]|2[01][0-9][0-9])-","minimum":0,"maximum":7258118400,"description":"1970-01-01T00:00:00Z to 2200-01-01T00:00:00Z"}}}
        """

    /// The rule names a variant or widget setting may enable or disable.
    static let ruleNames = VariantParameters.knownRules.sorted().map { "\"\($0)\"" }.joined(separator: ",")

    static let widgetParameters = """
        {"name":"user_id","in":"query","description":"1–256 characters (code points), no whitespace or control characters","schema":\(idSchema)},
        {"name":"limit","in":"query","schema":{"type":"integer","minimum":1,"maximum":100,"default":10}},
        {"name":"explain","in":"query","schema":{"type":"boolean","default":false}},
        {"name":"exclude","in":"query","description":"comma-separated product ids never to show; at most 8,192 characters","schema":\(excludeSchema)},
        {"name":"pin","in":"query","description":"position:product_id pairs to pin, positions 1–100; at most 2,048 characters; a pin past limit is dropped (the list has no such position)","schema":\(pinSchema)}
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
            "/widget.js": {"get": {"summary": "The storefront snippet: renders recommendation strips into elements with data-hybridrank-widget and reports impressions and clicks (README, Storefront snippet)",
                "parameters": [{"name":"If-None-Match","in":"header","schema":{"type":"string"}}],
                "responses": {"200": {"description": "The script (cacheable for an hour, then revalidated by its ETag)",
                                      "headers": {"ETag": {"schema": {"type":"string"}}, "Cache-Control": {"schema": {"type":"string"}}},
                                      "content": {"text/javascript": {"schema": {"type":"string"}}}},
                              "304": {"description": "Not modified (If-None-Match named the current ETag)"}}}},
            "/v1/recommendations/homepage": {"get": {"summary": "Personalised homepage widget (cold start: popular/trending); category= for a category landing page",
                "parameters": [{"name":"category","in":"query","description":"only products of this category (any case)","schema":\(queryTextSchema(maxLength: 256))}, \(widgetParameters)], "responses": \(recommendationResponse)}},
            "/v1/recommendations/trending": {"get": {"summary": "The shop's trending products (decayed popularity shared by replicas), shop-wide or in one category",
                "parameters": [{"name":"category","in":"query","description":"one category (any case)","schema":\(queryTextSchema(maxLength: 256))},
                               {"name":"limit","in":"query","schema":{"type":"integer","minimum":1,"maximum":100}}],
                "responses": \(recommendationResponse)}},
            "/v1/recommendations/product/{id}": {"get": {"summary": "Similar and co-purchased items for a product page",
                "parameters": [\(pathParameter("id")), \(widgetParameters)],
                "responses": \(recommendationResponse)}},
            "/v1/recommendations/cart": {
                "get": {"summary": "Recommendations for the user's current cart (from Redis)",
                        "parameters": [\(cartParameters)], "responses": \(recommendationResponse)},
                "post": {"summary": "Recommendations for an explicit list of cart items",
                         "parameters": [\(widgetParameters)],
                         "requestBody": {"required": true, "content": {"application/json": {"schema": {"type":"object",
                            "properties": {"user_id":\(idSchema),"items":{"type":"array","maxItems":500,"items":\(idSchema)},"limit":{"type":"integer","minimum":1,"maximum":100}},
                            "required": ["items"]}}}},
                         "responses": \(recommendationResponse)}},
            "/v1/recommendations/frequently-bought-together/{id}": {"get": {"summary": "Co-purchase first, similarity as fallback",
                "parameters": [\(pathParameter("id")), \(widgetParameters)],
                "responses": \(recommendationResponse)}},
            "/v1/search": {"get": {"summary": "Semantic search: bi-encoder query vector plus filters",
                "parameters": [{"name":"q","in":"query","required":true,"schema":\(queryTextSchema(minLength: 1, maxLength: 1000))},
                               {"name":"category","in":"query","description":"matched without regard to case","schema":\(queryTextSchema(maxLength: 256))},
                               {"name":"price_min","in":"query","description":"at most price_max (a 400 naming price_min otherwise)","schema":{"type":"number"}},
                               {"name":"price_max","in":"query","schema":{"type":"number"}},
                               {"name":"currency","in":"query","description":"only products priced in this ISO 4217 currency; a price filter without it holds in the catalog's main currency when the catalog mixes currencies","schema":{"type":"string","pattern":"^[A-Za-z]{3}$"}},
                               {"name":"in_stock","in":"query","description":"true or absent: only products in stock; false: sold-out products too","schema":{"type":"boolean"}}, \(widgetParameters)],
                "responses": \(recommendationResponse)}},
            "/v1/products/{id}": {
                "get": {"summary": "Read a product", "parameters": [\(pathParameter("id"))],
                        "responses": {"200": {"description": "Product"}, "400": {"$ref":"#/components/responses/BadRequest"}, "404": {"$ref":"#/components/responses/NotFound"}}},
                "put": {"summary": "Create or replace a product (embedded and recommendable within a second)",
                        "parameters": [\(pathParameter("id"))],
                        "requestBody": {"required": true, "content": {"application/json": {"schema": \(productSchema(required: ["name"]))}}},
                        "responses": {"200": {"description": "Stored"}, "400": {"$ref":"#/components/responses/BadRequest"}, "503": {"description": "PostgreSQL unavailable"}}},
                "patch": {"summary": "Change some fields of a product",
                        "parameters": [\(pathParameter("id"))],
                        "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref":"#/components/schemas/Product"}}}},
                        "responses": {"200": {"description": "Stored"}, "400": {"$ref":"#/components/responses/BadRequest"}, "404": {"$ref":"#/components/responses/NotFound"}, "503": {"description": "PostgreSQL unavailable"}}},
                "delete": {"summary": "Delete a product (soft delete; leaves every widget at once)",
                        "parameters": [\(pathParameter("id"))],
                        "responses": {"204": {"description": "Deleted"}, "400": {"$ref":"#/components/responses/BadRequest"}, "404": {"$ref":"#/components/responses/NotFound"}, "503": {"description": "PostgreSQL unavailable"}}}},
            "/v1/products:batch": {"post": {"summary": "Upsert up to 1,000 products",
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"type":"object","required":["products"],"properties":{"products":{"type":"array","minItems":1,"maxItems":1000,"items":\(productSchema(required: ["product_id", "name"]))}}}}}},
                "responses": {"200": {"description": "Stored"}, "400": {"$ref":"#/components/responses/BadRequest"}}}},
            "/v1/events": {"post": {"summary": "Record one event or a batch; durable in PostgreSQL before 2xx",
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"oneOf": [{"$ref":"#/components/schemas/Event"},
                    {"type":"array","minItems":1,"maxItems":1000,"items":{"$ref":"#/components/schemas/Event"}},
                    {"type":"object","required":["events"],"properties":{"events":{"type":"array","minItems":1,"maxItems":1000,"items":{"$ref":"#/components/schemas/Event"}}}}]}}}},
                "responses": {"202": {"description": "Accepted and stored"}, "400": {"$ref":"#/components/responses/BadRequest"}, "503": {"description": "PostgreSQL unavailable; nothing stored, retry"}}}},
            "/v1/experiments": {
                "get": {"summary": "List experiments", "responses": {"200": {"description": "Experiments"}}},
                "post": {"summary": "Create an experiment (draft)",
                         "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref":"#/components/schemas/Experiment"}}}},
                         "responses": {"201": {"description": "Created"}, "400": {"$ref":"#/components/responses/BadRequest"}, "409": {"description": "Exists"}}}},
            "/v1/experiments/{key}": {
                "get": {"summary": "Read an experiment", "parameters": [\(pathParameter("key"))], "responses": {"200": {"description": "Experiment"}, "400": {"$ref":"#/components/responses/BadRequest"}, "404": {"$ref":"#/components/responses/NotFound"}}},
                "put": {"summary": "Update a draft experiment", "parameters": [\(pathParameter("key"))], "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref":"#/components/schemas/Experiment"}}}}, "responses": {"404": {"$ref":"#/components/responses/NotFound"}, "200": {"description": "Updated"}, "400": {"$ref":"#/components/responses/BadRequest"}, "409": {"description": "Not a draft"}}}},
            "/v1/experiments/{key}/start": {"post": {"summary": "Start (draft → running)", "parameters": [\(pathParameter("key"))], "responses": {"200": {"description": "Running"}, "404": {"$ref":"#/components/responses/NotFound"}, "409": {"description": "Conflicts with a running experiment"}}}},
            "/v1/experiments/{key}/stop": {"post": {"summary": "Stop (running → stopped; results kept)", "parameters": [\(pathParameter("key"))], "responses": {"200": {"description": "Stopped"}, "404": {"$ref":"#/components/responses/NotFound"}, "409": {"description": "Not running"}}}},
            "/v1/experiments/{key}/results": {"get": {"summary": "Per-variant metrics with 95% intervals, lifts, p-values, SRM, CUPED, latency guardrail",
                "parameters": [\(pathParameter("key"))], "responses": {"200": {"description": "Results"}, "400": {"$ref":"#/components/responses/BadRequest"}, "404": {"$ref":"#/components/responses/NotFound"}}}},
            "/v1/widgets": {"get": {"summary": "Every widget's standing settings and the options they resolve to",
                "responses": {"200": {"description": "Widgets"}, "503": {"description": "PostgreSQL unavailable"}}}},
            "/v1/widgets/{widget}/settings": {
                "get": {"summary": "One widget's settings and effective options (before any experiment variant)",
                        "parameters": [\(widgetPathParameter)],
                        "responses": {"200": {"description": "Settings"}, "404": {"$ref":"#/components/responses/NotFound"}, "503": {"description": "PostgreSQL unavailable"}}},
                "put": {"summary": "Replace one widget's settings (every replica applies them within the refresh interval)",
                        "parameters": [\(widgetPathParameter)],
                        "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref":"#/components/schemas/WidgetSettings"}}}},
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
              "Product": \(productSchema(required: [])),
              "Event": {"type":"object","required":["user_id","product_id","event"],"properties":{"user_id":\(idSchema),"product_id":\(idSchema),
                  "event":{"type":"string","enum":[\(InteractionType.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ","))],"description":"recommendation_click and recommendation_impression need request_id; impressions are kept for the experiment tables only, never as shopper history"},
                  "quantity":{"type":"integer","minimum":1,"maximum":100000},"value":{"type":"number","minimum":0,"description":"Monetary value; a purchase without one is valued at quantity × the catalog price."},"request_id":\(idSchema),"basket_id":\(idSchema),
                  "timestamp":{"type":["string","number"],"format":"date-time","pattern":"^(?:19[7-9][0-9]|[2-9][0-9]{3})-","minimum":0,"description":"ISO 8601 or epoch seconds, from 1970-01-01T00:00:00Z to 5 minutes past the server's clock (a 400 naming timestamp after that)"},"event_id":\(idSchema)},
                  "not":{"required":["events"],"properties":{"events":{"not":{"type":"null"}}}},
                  "if":{"required":["event"],"properties":{"event":{"enum":["recommendation_click","recommendation_impression"]}}},
                  "then":{"required":["request_id"],"properties":{"request_id":{"type":"string"}}}},
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
                      "alpha":{"type":"number","minimum":0,"description":"weights and boosts are 32-bit floats: at most 3.4e38"},"beta":{"type":"number","minimum":0},"gamma":{"type":"number","minimum":0},
                      "item2vec_weight":{"type":"number","minimum":0,"description":"weight of the item2vec signal; only where the service trains item2vec"},
                      "candidates_per_source":{"type":"integer","minimum":1,"maximum":5000},"rerank_window":{"type":"integer","minimum":0,"maximum":200},
                      "rerank_combination":{"type":"string","enum":["additive","replace","rrf"]},"rerank_weight":{"type":"number","minimum":0},
                      "rerank_budget_ms":{"type":"number","exclusiveMinimum":0,"maximum":1000,"description":"required with a rerank_window above 50"},
                      "diversity_max_per_category":{"type":"integer","minimum":0,"maximum":1000},"diversity_window":{"type":"integer","minimum":0,"maximum":1000},
                      "promotion_boost":{"type":"number","minimum":0},"new_arrival_boost":{"type":"number","minimum":0},
                      "new_arrival_days":{"type":"integer","minimum":0,"maximum":3650},"mmr_lambda":{"type":"number","minimum":0,"maximum":1},"exclude_recent_purchases_days":{"type":"integer","minimum":0,"maximum":3650},
                      "enabled_rules":{"type":"array","items":{"type":"string","enum":[\(ruleNames)]}},"disabled_rules":{"type":"array","items":{"type":"string","enum":[\(ruleNames)]}}},
                      "not":{"required":["alpha","beta","gamma"],"properties":{"alpha":{"const":0},"beta":{"const":0},"gamma":{"const":0}}},
                      "if":{"required":["rerank_window"],"properties":{"rerank_window":{"type":"integer","minimum":51}}},"then":{"required":["rerank_budget_ms"]}},
                  "block_list":{"type":"array","items":\(idSchema),"maxItems":1000},
                  "pinned":{"type":"array","maxItems":20,"items":{"type":"object","required":["position","product_id"],
                      "properties":{"position":{"type":"integer","minimum":1},"product_id":\(idSchema)}}}}},
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
