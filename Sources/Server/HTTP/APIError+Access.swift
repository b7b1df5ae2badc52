import Engine
import Hummingbird

/// The answers of the access layer (keys and rate limits), in the API's JSON error shape.
extension APIError {
    /// 401: no key where one is needed.
    static let missingKey = APIError(
        status: .unauthorized, code: "missing_api_key",
        message: "this route needs an API key: send Authorization: Bearer <key> or X-API-Key: <key>")
    /// 401: a key that is malformed, unknown or revoked (not told apart, so a guess learns nothing).
    static let invalidKey = APIError(
        status: .unauthorized, code: "invalid_api_key", message: "the API key is unknown or revoked")

    /// 403: a valid key whose scope is below what the route needs.
    static func insufficientScope(_ required: APIKeyScope) -> APIError {
        APIError(
            status: .forbidden, code: "insufficient_scope", message: "this route needs a key of scope \(required.rawValue)")
    }

    /// 429: over the caller's budget.
    static let rateLimited = APIError(
        status: .tooManyRequests, code: "rate_limited",
        message: "too many requests for this key or address; retry after the Retry-After seconds")

    /// This error as a response with `headers` added (`WWW-Authenticate`, `Retry-After`).
    func response(adding headers: HTTPFields, request: Request, context: some RequestContext) throws -> Response {
        var response = try self.response(from: request, context: context)
        response.headers.append(contentsOf: headers)
        return response
    }
}
