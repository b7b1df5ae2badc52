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
                item[method] = operation
            }
            paths[path] = item
        }
        document["paths"] = paths
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
}
