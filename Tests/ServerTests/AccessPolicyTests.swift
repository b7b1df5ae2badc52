import Foundation
import Hummingbird
import Testing

import Support
@testable import Engine
@testable import Ranking
@testable import Server

/// The pure parts of the access layer: which key a route needs, the key format and hashing,
/// how a presented key is read from the headers, and the rate-limit arithmetic.
struct AccessPolicyTests {
    @Test func routesNeedTheScopeTheTableNamesAndAnythingElseNeedsAdmin() {
        let cases: [(HTTPRequest.Method, String, RouteAccess)] = [
            (.get, "/health", .anyone), (.get, "/openapi.json", .anyone), (.get, "/widget.js", .anyone),
            // Trending is a widget read like the others (it was left to the admin default).
            (.get, "/v1/recommendations/trending", .key(.read)),
            (.get, "/metrics", .key(.admin)), (.get, "/dashboard", .key(.admin)),
            (.get, "/v1/recommendations/homepage", .key(.read)), (.post, "/v1/recommendations/cart", .key(.read)),
            (.get, "/v1/recommendations/product/p1", .key(.read)),
            (.get, "/v1/recommendations/frequently-bought-together/p1", .key(.read)),
            (.get, "/v1/search", .key(.read)), (.get, "/v1/products/p1", .key(.read)),
            (.post, "/v1/events", .key(.ingest)),
            (.put, "/v1/products/p1", .key(.admin)), (.patch, "/v1/products/p1", .key(.admin)),
            (.delete, "/v1/products/p1", .key(.admin)), (.post, "/v1/products:batch", .key(.admin)),
            (.get, "/v1/experiments", .key(.admin)), (.post, "/v1/experiments/x/start", .key(.admin)),
            (.get, "/v1/widgets", .key(.admin)), (.put, "/v1/widgets/cart/settings", .key(.admin)),
            // Unknown, odd or dotted paths are closed.
            (.get, "/v1/nothing", .key(.admin)), (.get, "/v1/products/../experiments", .key(.admin)),
            (.get, "/v1//products/p1", .key(.admin)), (.get, "/v1/events", .key(.admin)),
            (.get, "/v1/products/p1/extra", .key(.admin)),
        ]
        for (method, path, expected) in cases {
            #expect(RouteAccess.of(method: method, path: path) == expected, "\(method) \(path)")
        }
        #expect(RouteAccess.key(.ingest).isBrowserFacing && RouteAccess.key(.read).isBrowserFacing)
        #expect(!RouteAccess.key(.admin).isBrowserFacing && !RouteAccess.anyone.isBrowserFacing)
    }

    @Test func scopesGrantTheScopesBelowThem() {
        #expect(APIKeyScope.admin.grants(.ingest) && APIKeyScope.admin.grants(.read) && APIKeyScope.ingest.grants(.read))
        #expect(!APIKeyScope.ingest.grants(.admin) && !APIKeyScope.read.grants(.ingest))
    }

    @Test func tokensRoundTripAndOnlyWellFormedOnesParse() throws {
        let token = APIKeyToken.generate()
        #expect(token.text.hasPrefix("hr_") && token.text.count == 3 + 12 + 1 + 64)
        #expect(APIKeyToken(parsing: token.text) == token)
        #expect(APIKeyToken.generate() != token, "each key is new")
        for bad in ["", "hr_", token.text + "0", String(token.text.dropLast()), token.text.uppercased(),
                    "xx" + token.text.dropFirst(2), token.text.replacingOccurrences(of: "_", with: "-")] {
            #expect(APIKeyToken(parsing: bad) == nil, "\(bad)")
        }
    }

    @Test func digestIsSHA256OfTheWholeKey() {
        // FIPS 180-2 test vector: SHA-256("abc").
        let abc = Array("abc".utf8).withUnsafeBytes { SHA256.hex(of: $0) }
        #expect(abc == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let token = APIKeyToken(id: "0123456789ab", secret: String(repeating: "f", count: 64))
        let expected = Array(token.text.utf8).withUnsafeBytes { SHA256.hex(of: $0) }
        #expect(token.digest == expected)
        #expect(APIKeyToken.constantTimeEqual(token.digest, expected))
        #expect(!APIKeyToken.constantTimeEqual(token.digest, String(expected.dropLast()) + "0"))
        #expect(!APIKeyToken.constantTimeEqual(token.digest, String(expected.dropLast())))
    }

    @Test func tableAuthenticatesActiveKeysOnly() {
        let active = APIKeyToken.generate()
        let revoked = APIKeyToken.generate()
        let table = APIKeyTable(mayOpen: true)
        #expect(table.current == .unknown)
        table.install([])
        #expect(table.current == .open)
        table.install([
            APIKeyRecord(id: active.id, name: "", scope: .ingest, digest: active.digest, createdAt: Date()),
            APIKeyRecord(id: revoked.id, name: "", scope: .admin, digest: revoked.digest, createdAt: Date(), revokedAt: Date()),
        ])
        #expect(table.authenticate(active.text)?.scope == .ingest)
        #expect(table.authenticate(revoked.text) == nil)
        #expect(table.authenticate(APIKeyToken(id: active.id, secret: revoked.secret).text) == nil, "right id, wrong secret")
        let closed = APIKeyTable(mayOpen: false)
        closed.install([])
        #expect(closed.current == .keyed([:]), "on a public address an empty table opens nothing")
    }

    @Test func presentedKeyComesFromBearerXAPIKeyOrBasicPassword() {
        #expect(AccessControlMiddleware.presentedKey([.authorization: "Bearer hr_abc"]) == "hr_abc")
        #expect(AccessControlMiddleware.presentedKey([.authorization: "bearer  hr_abc"]) == "hr_abc")
        #expect(AccessControlMiddleware.presentedKey([.xAPIKey: "hr_xyz"]) == "hr_xyz")
        let basic = Data("user:hr_pw".utf8).base64EncodedString()
        #expect(AccessControlMiddleware.presentedKey([.authorization: "Basic \(basic)"]) == "hr_pw")
        #expect(AccessControlMiddleware.presentedKey([:]) == nil)
    }

    @Test func gcraAllowsTheBurstThenTheRate() {
        let limiter = LocalRateLimiter()
        let limit = RateLimit(perSecond: 2, burst: 3)
        var allowed = 0
        for _ in 0..<5 where limiter.check("s", limit: limit, cost: 1, now: 100) == .allowed { allowed += 1 }
        #expect(allowed == 3, "the burst")
        guard case .limited(let wait) = limiter.check("s", limit: limit, cost: 1, now: 100) else {
            Issue.record("over the burst")
            return
        }
        #expect(abs(wait - 0.5) < 1e-9, "one token comes back after 1/rate seconds")
        #expect(limiter.check("s", limit: limit, cost: 1, now: 100.5) == .allowed)
        #expect(limiter.check("other", limit: limit, cost: 1, now: 100) == .allowed, "subjects are separate")
        #expect(limiter.check("big", limit: limit, cost: 4, now: 100) != .allowed, "a cost above the burst never fits")
        #expect(RateLimitDecision.limited(retryAfter: 0.2).retryAfterHeader == "1")
        #expect(RateLimitDecision.limited(retryAfter: 2.1).retryAfterHeader == "3")
    }

    @Test func searchCostGrowsWithTheQueryUpToTheBurst() {
        let configuration = RateLimitConfiguration()
        let limit = RateLimit(perSecond: 20, burst: 100)
        #expect(configuration.cost(searchCharacters: nil, limit: limit) == 1, "not a search")
        #expect(configuration.cost(searchCharacters: 0, limit: limit) == 10)
        #expect(configuration.cost(searchCharacters: 14, limit: limit) == 10)
        #expect(configuration.cost(searchCharacters: 101, limit: limit) == 20)
        #expect(configuration.cost(searchCharacters: 1000, limit: limit) == 100)
        #expect(configuration.cost(searchCharacters: 1000, limit: RateLimit(perSecond: 1, burst: 30)) == 30, "capped at the burst")
    }

    @Test func accessSettingsComeFromTheEnvironment() {
        let configuration = AccessConfiguration(environment: [
            "HYBRIDRANK_READ_ACCESS": "keyed", "HYBRIDRANK_CORS_ORIGINS": "https://a.example, https://b.example",
            "HYBRIDRANK_RATE_LIMIT_ANONYMOUS": "5/10", "HYBRIDRANK_RATE_LIMITS": "off", "HYBRIDRANK_ALLOW_OPEN": "1",
            "HYBRIDRANK_RATE_LIMIT_ADMIN": "nonsense",
        ])
        #expect(configuration.readAccess == .keyed)
        #expect(configuration.corsOrigins == ["https://a.example", "https://b.example"])
        #expect(configuration.rateLimits.anonymous == RateLimit(perSecond: 5, burst: 10))
        #expect(configuration.rateLimits.admin == RateLimitConfiguration().admin, "a malformed value keeps the default")
        #expect(!configuration.rateLimits.enabled && configuration.allowOpen)
        #expect(AccessConfiguration().corsOrigins == ["*"] && AccessConfiguration().readAccess == .open)
        #expect(OpenModeRefusal.isLoopback("127.0.0.1") && OpenModeRefusal.isLoopback("::1") && !OpenModeRefusal.isLoopback("0.0.0.0"))
    }

    @Test func everyYesNoSettingReadsTheSameSpellings() {
        let on = AccessConfiguration(environment: [
            "HYBRIDRANK_TRUST_FORWARDED_FOR": "on", "HYBRIDRANK_ALLOW_OPEN": "TRUE", "HYBRIDRANK_RATE_LIMITS": "No",
        ])
        #expect(on.trustForwardedFor && on.allowOpen && !on.rateLimits.enabled)
        let unknown = AccessConfiguration(environment: [
            "HYBRIDRANK_TRUST_FORWARDED_FOR": "maybe", "HYBRIDRANK_ALLOW_OPEN": "", "HYBRIDRANK_RATE_LIMITS": "sometimes",
        ])
        #expect(!unknown.trustForwardedFor && !unknown.allowOpen && unknown.rateLimits.enabled, "an unknown value keeps the default")
        #expect(ServiceConfiguration(environment: ["HYBRIDRANK_ITEM2VEC": "Yes"]).item2vec)
    }
}
