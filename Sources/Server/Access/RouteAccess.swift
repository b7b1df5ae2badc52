import Engine
import Hummingbird

/// Which key a route needs, decided from the method and path alone, in one table, so the
/// middleware, the CORS layer and `/openapi.json` cannot disagree.
///
/// Anything the table does not name needs an `admin` key: a route added later, a path with
/// empty or dot segments, or a typo is closed until someone decides otherwise.
public enum RouteAccess: Sendable, Equatable {
    /// No key ever (`/health`, `/openapi.json`, `/widget.js`).
    case anyone
    /// A key of this scope or above (read routes only when `readAccess` is `.keyed`).
    case key(APIKeyScope)

    public static func of(method: HTTPRequest.Method, path: String) -> RouteAccess {
        switch path {
        case "/health", "/openapi.json", "/widget.js": return .anyone
        case "/v1/events": return method == .post ? .key(.ingest) : .key(.admin)
        case "/v1/search", "/v1/recommendations/homepage", "/v1/recommendations/cart", "/v1/recommendations/trending":
            return .key(.read)
        default: break
        }
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        guard path.hasPrefix("/"), !segments.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) else {
            return .key(.admin)
        }
        let parts = Array(segments)
        if parts.count == 4, parts[0] == "v1", parts[1] == "recommendations",
            parts[2] == "product" || parts[2] == "frequently-bought-together"
        {
            return .key(.read)
        }
        if parts.count == 3, parts[0] == "v1", parts[1] == "products", method == .get || method == .head {
            return .key(.read)
        }
        return .key(.admin)
    }

    /// Whether a page's script calls this route (widgets, search, product reads, events): the
    /// routes that answer CORS.
    public var isBrowserFacing: Bool {
        switch self {
        case .key(.read), .key(.ingest): true
        case .anyone, .key(.admin): false
        }
    }

    /// Whether the request is a search (its cost grows with its query, `RateLimitConfiguration.cost`).
    public static func isSearch(_ path: String) -> Bool { path == "/v1/search" }
}
