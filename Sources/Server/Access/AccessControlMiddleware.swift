import Engine
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Keys, then budgets, for every request, top to bottom:
/// 1. `RouteAccess` says what the route needs (`/health` and `/openapi.json`: nothing).
/// 2. The presented key (`Authorization: Bearer`, `X-API-Key`, or HTTP Basic with the key as
///    password, which lets a browser open `/dashboard`) is looked up in the `APIKeyTable`.
///    Missing or unknown where a key is needed: 401 with `WWW-Authenticate`; a scope below the
///    route's: 403. Open mode (no key ever created) and open reads let requests without a key
///    through; a key they do present still chooses the budget.
/// 3. The caller's budget (`RateLimiter`; a search costs more the longer its query): over it,
///    429 with `Retry-After`, held back up to `RateLimitConfiguration.rejectionDelay`.
public struct AccessControlMiddleware: RouterMiddleware {
    public typealias Context = APIRequestContext

    let keys: APIKeyTable
    let limiter: RateLimiter
    let configuration: AccessConfiguration
    let metrics: ServiceMetrics
    let delayedRejections = DelayedRejections()

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let access = RouteAccess.of(method: request.method, path: request.uri.path)
        guard case .key(let required) = access else { return try await next(request, context) }
        let state = keys.current
        let keyNeeded = state != .open && !(required == .read && configuration.readAccess == .open)

        var caller: APIKeyRecord?
        if let presented = Self.presentedKey(request.headers) {
            caller = keys.authenticate(presented)
            if caller == nil && keyNeeded {
                if state == .unknown { throw APIError.unavailable("the API key table (PostgreSQL)") }
                return try reject(.invalidKey, request: request, context: context, reason: "invalid")
            }
        } else if keyNeeded {
            if state == .unknown { throw APIError.unavailable("the API key table (PostgreSQL)") }
            return try reject(.missingKey, request: request, context: context, reason: "missing")
        }
        if let caller, keyNeeded, !caller.scope.grants(required) {
            metrics.increment("hybridrank_access_rejections_total", labels: ["reason": "scope"])
            let challenge = #"Bearer realm="hybridrank", error="insufficient_scope", scope="\#(required.rawValue)""#
            return try APIError.insufficientScope(required).response(
                adding: [.wwwAuthenticate: challenge], request: request, context: context)
        }

        let limits = configuration.rateLimits
        if limits.enabled {
            let address = clientAddress(request, context)
            let subject: String
            switch caller {
            case .some(let key) where key.scope == .admin: subject = "k:\(key.id)"
            case .some(let key): subject = "k:\(key.id)@\(address)"
            case .none: subject = "a:\(address)"
            }
            let limit = limits.limit(for: caller?.scope)
            let searchCharacters = RouteAccess.isSearch(request.uri.path) ? (request.uri.queryParameters["q"]?.count ?? 0) : nil
            let decision = await limiter.check(
                subject, limit: limit, cost: limits.cost(searchCharacters: searchCharacters, limit: limit))
            if case .limited(let wait) = decision, let retryAfter = decision.retryAfterHeader {
                metrics.increment("hybridrank_rate_limited_total", labels: ["scope": caller?.scope.rawValue ?? "anonymous"])
                await delayedRejections.hold(seconds: min(wait, limits.rejectionDelay), atMost: limits.maximumDelayedRejections)
                return try APIError.rateLimited.response(
                    adding: [.retryAfter: retryAfter], request: request, context: context)
            }
        }
        return try await next(request, context)
    }

    private func reject(_ error: APIError, request: Request, context: Context, reason: String) throws -> Response {
        metrics.increment("hybridrank_access_rejections_total", labels: ["reason": reason])
        var headers: HTTPFields = [
            .wwwAuthenticate: reason == "invalid" ? #"Bearer realm="hybridrank", error="invalid_token""# : #"Bearer realm="hybridrank""#
        ]
        // A browser asks for a password only on a Basic challenge: the dashboard is a page.
        if request.uri.path == "/dashboard" { headers.append(HTTPField(name: .wwwAuthenticate, value: #"Basic realm="hybridrank""#)) }
        return try error.response(adding: headers, request: request, context: context)
    }

    /// The key a request presents: `Authorization: Bearer <key>`, `X-API-Key: <key>`, or
    /// `Authorization: Basic` with the key as the password (any user name).
    static func presentedKey(_ headers: HTTPFields) -> Substring? {
        if let authorization = headers[.authorization] {
            let parts = authorization.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
            if parts.count == 2 {
                let scheme = parts[0].lowercased()
                let value = parts[1].drop(while: { $0 == " " })
                if scheme == "bearer" { return value }
                if scheme == "basic", let data = Data(base64Encoded: String(value)),
                    let text = String(data: data, encoding: .utf8), let colon = text.firstIndex(of: ":")
                {
                    return Substring(text[text.index(after: colon)...])
                }
            }
        }
        return headers[.xAPIKey].map { Substring($0) }
    }

    /// The client's address: the connection's peer, or the last `X-Forwarded-For` entry when
    /// a trusted proxy sets it.
    func clientAddress(_ request: Request, _ context: Context) -> String {
        if configuration.trustForwardedFor, let forwarded = request.headers[values: .xForwardedFor].last,
            let last = forwarded.split(separator: ",").last?.trimmingCharacters(in: .whitespaces), !last.isEmpty
        {
            return last
        }
        return context.remoteAddress?.ipAddress ?? "unknown"
    }
}

extension HTTPField.Name {
    static let xAPIKey = HTTPField.Name("X-API-Key")!
    static let xForwardedFor = HTTPField.Name("X-Forwarded-For")!
}
