import Hummingbird

/// CORS for the routes a shop's pages call from the browser (`RouteAccess.isBrowserFacing`:
/// widgets, search, product reads, events); the admin routes never answer it, so a page on
/// another origin cannot drive them with a stolen admin key in a visitor's browser.
///
/// A preflight (`OPTIONS` with `Access-Control-Request-Method`) is answered here, before keys
/// and rate limits: browsers send it without credentials. Answers to actual requests, errors
/// included (401, 429), carry `Access-Control-Allow-Origin`, so a page can read why it failed.
/// No credentials (cookies) are allowed: the keys travel in headers.
public struct BrowserCORSMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Allowed origins; `*` among them allows any.
    let origins: Set<String>
    let maxAge: Int

    static var allowHeaders: String { "Authorization, X-API-Key, Content-Type" }
    static var exposeHeaders: String { "Retry-After, WWW-Authenticate" }

    public init(origins: [String], maxAge: Int) {
        self.origins = Set(origins)
        self.maxAge = maxAge
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard !origins.isEmpty, let origin = request.headers[.origin] else { return try await next(request, context) }
        if request.method == .options, let requested = request.headers[.accessControlRequestMethod] {
            let method = HTTPRequest.Method(requested) ?? .get
            guard RouteAccess.of(method: method, path: request.uri.path).isBrowserFacing else {
                return try await next(request, context)
            }
            guard let allowed = allowOrigin(origin) else {
                throw APIError(
                    status: .forbidden, code: "origin_not_allowed",
                    message: "this origin may not call the API from a browser (HYBRIDRANK_CORS_ORIGINS)")
            }
            var headers: HTTPFields = [
                .accessControlAllowOrigin: allowed,
                .accessControlAllowMethods: "GET, POST, OPTIONS",
                .accessControlAllowHeaders: Self.allowHeaders,
                .accessControlMaxAge: String(maxAge),
            ]
            if allowed != "*" { headers[.vary] = "Origin" }
            return Response(status: .noContent, headers: headers)
        }
        guard RouteAccess.of(method: request.method, path: request.uri.path).isBrowserFacing,
            let allowed = allowOrigin(origin)
        else { return try await next(request, context) }
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        response.headers[.accessControlAllowOrigin] = allowed
        response.headers[.accessControlExposeHeaders] = Self.exposeHeaders
        if allowed != "*" { response.headers[values: .vary].append("Origin") }
        return response
    }

    /// The `Access-Control-Allow-Origin` value for `origin`, or nil when it is not allowed.
    func allowOrigin(_ origin: String) -> String? {
        if origins.contains("*") { return "*" }
        return origins.contains(origin) ? origin : nil
    }
}
