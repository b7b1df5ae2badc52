import Engine
import Foundation
import Hummingbird

extension OpenAPIDocument {
    /// The document as served: `json` with the API-key `securitySchemes`, each operation's
    /// `security` (from `RouteAccess`, the table the middleware enforces, so the two cannot
    /// disagree) and its 401, 403 and 429 answers. Built once at start.
    ///
    /// Scopes are listed as role names in each requirement (OpenAPI 3.1 allows that for
    /// non-OAuth schemes). Reads that are open list an empty requirement first: a key is then
    /// optional (it chooses the caller's rate limit).
    static func served(readAccess: AccessConfiguration.ReadAccess) -> String {
        guard var document = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
            var paths = document["paths"] as? [String: [String: Any]],
            var components = document["components"] as? [String: Any]
        else { return json }
        for (path, item) in paths {
            var item = item
            for (method, value) in item {
                guard var operation = value as? [String: Any], let httpMethod = HTTPRequest.Method(method.uppercased()) else { continue }
                var responses = operation["responses"] as? [String: Any] ?? [:]
                // Any operation that takes input answers 400 (naming the field) for input it refuses.
                if operation["parameters"] != nil || operation["requestBody"] != nil || path.contains("{") {
                    responses["400"] = responses["400"] ?? ["$ref": "#/components/responses/BadRequest"]
                }
                switch RouteAccess.of(method: httpMethod, path: path) {
                case .anyone:
                    operation["security"] = [[String: Any]]()
                case .key(let scope):
                    let schemes: [[String: Any]] = [["bearerKey": [scope.rawValue]], ["apiKeyHeader": [scope.rawValue]]]
                    if scope == .read && readAccess == .open {
                        operation["security"] = [[String: Any]()] + schemes
                    } else {
                        operation["security"] = schemes
                        responses["401"] = responses["401"] ?? ["$ref": "#/components/responses/Unauthorized"]
                        responses["403"] = responses["403"] ?? ["$ref": "#/components/responses/Forbidden"]
                    }
                    responses["429"] = responses["429"] ?? ["$ref": "#/components/responses/TooManyRequests"]
                }
                operation["responses"] = responses
                if var body = operation["requestBody"] as? [String: Any], var content = body["content"] as? [String: Any],
                    var json = content["application/json"] as? [String: Any], let schema = json["schema"]
                {
                    json["schema"] = nullableOptionals(schema)
                    content["application/json"] = json
                    body["content"] = content
                    operation["requestBody"] = body
                }
                item[method] = operation
            }
            paths[path] = item
        }
        document["paths"] = paths
        if var schemas = components["schemas"] as? [String: Any] {
            for (name, schema) in schemas where name != "Recommendations" && name != "Error" {
                schemas[name] = nullableOptionals(schema)
            }
            components["schemas"] = schemas
        }
        components["securitySchemes"] = [
            "bearerKey": [
                "type": "http", "scheme": "bearer",
                "description": "An API key (hr_…) from `hybridrank keys create`; scopes: read < ingest < admin (SECURITY.md).",
            ],
            "apiKeyHeader": [
                "type": "apiKey", "in": "header", "name": "X-API-Key",
                "description": "The same API key in the X-API-Key header.",
            ],
        ]
        var responses = components["responses"] as? [String: Any] ?? [:]
        let error: [String: Any] = ["application/json": ["schema": ["$ref": "#/components/schemas/Error"]]]
        responses["Unauthorized"] = [
            "description": "No API key, or an unknown or revoked one (WWW-Authenticate says how to send one)",
            "headers": ["WWW-Authenticate": ["schema": ["type": "string"]]], "content": error,
        ]
        responses["Forbidden"] = ["description": "The key's scope is below the route's", "content": error]
        responses["TooManyRequests"] = [
            "description": "Over the caller's rate limit; retry after Retry-After seconds",
            "headers": ["Retry-After": ["schema": ["type": "integer", "minimum": 1]]], "content": error,
        ]
        components["responses"] = responses
        document["components"] = components
        guard let data = try? JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .withoutEscapingSlashes])
        else { return json }
        return String(decoding: data, as: UTF8.self)
    }

    /// Request bodies decode an optional field sent as `null` as absent (Swift's `Decodable`), so
    /// the document says so: every property an object does not require also takes `null`.
    static func nullableOptionals(_ schema: Any) -> Any {
        if let list = schema as? [Any] { return list.map(nullableOptionals) }
        guard var object = schema as? [String: Any] else { return schema }
        for key in ["items", "allOf", "oneOf", "anyOf", "not", "if", "then"] where object[key] != nil {
            object[key] = nullableOptionals(object[key]!)
        }
        guard var properties = object["properties"] as? [String: Any] else { return object }
        let required = Set(object["required"] as? [String] ?? [])
        for (name, value) in properties {
            var property = nullableOptionals(value) as? [String: Any] ?? [:]
            if !required.contains(name) {
                if let type = property["type"] as? String {
                    property["type"] = [type, "null"]
                } else if var types = property["type"] as? [String], !types.contains("null") {
                    types.append("null")
                    property["type"] = types
                } else if property["$ref"] != nil {
                    property = ["anyOf": [property, ["type": "null"]]]
                }
                if var values = property["enum"] as? [Any], !values.contains(where: { $0 is NSNull }) {
                    values.append(NSNull())
                    property["enum"] = values
                }
            }
            properties[name] = property
        }
        object["properties"] = properties
        return object
    }
}
