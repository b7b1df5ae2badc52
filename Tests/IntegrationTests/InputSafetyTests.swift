import Foundation
import Hummingbird
import HummingbirdTesting
import Storage
import Testing

@testable import Engine
@testable import Ranking
@testable import Server
@testable import ShopData
import Support

/// Issue #21's reproducers against the live server on the real PostgreSQL and Redis: inputs
/// that used to stop the process, be stored differently from what was acknowledged, or answer
/// 500 are refused with a 400 naming the field, and the process keeps serving.
@Suite(.enabled(if: ServerTestEnvironment.available, "needs POSTGRES_URL and REDIS_URL (scripts/test.sh starts them)"))
struct InputSafetyTests {
    static func count(_ postgres: PostgresClient, _ sql: String, _ parameters: [(any PostgresParameter)?] = []) async throws -> Int {
        try await postgres.query(sql, parameters)[0].int("n")
    }

    /// #21 "Why" 1: these two requests used to kill the process (a trap formatting the time).
    @Test func timestampsFarOutOfRangeAnswer400AndTheProcessLives() async throws {
        try await ServerTestEnvironment.withServerAndDatabase { client, postgres in
            var (status, json) = try await client.json(
                "/v1/events", method: .post, body: #"{"user_id":"u","product_id":"p","event":"view","timestamp":-1e300}"#)
            #expect(status == 400)
            #expect(errorField(json) == "timestamp")
            (status, json) = try await client.json("/v1/products/x", method: .put, body: #"{"name":"X","created_at":1e300}"#)
            #expect(status == 400)
            #expect(errorField(json) == "created_at")
            (status, json) = try await client.json("/v1/products/x", method: .put, body: #"{"name":"X","created_at":"0001-01-01T00:00:00Z"}"#)
            #expect(status == 400, "year 1 used to be a 500")
            #expect(errorField(json) == "created_at")
            (status, json) = try await client.json(
                "/v1/events", method: .post, body: #"{"user_id":"u","product_id":"p","event":"view","timestamp":"0000-06-01T00:00:00Z"}"#)
            #expect(status == 400)
            #expect(errorField(json) == "timestamp")
            (status, _) = try await client.json("/health")
            #expect(status == 200, "the process still serves")
            #expect(try await Self.count(postgres, "SELECT count(*)::int AS n FROM interactions") == 0)
            #expect(try await Self.count(postgres, "SELECT count(*)::int AS n FROM products") == 0)
        }
    }

    /// #21 "Why" 3: a NUL in a query's user id is refused at the edge, naming `user_id`
    /// (it used to queue an exposure PostgreSQL refused, stalling every later exposure).
    @Test func nulInQueryUserIDIsRefusedAndExposuresKeepFlowing() async throws {
        try await ServerTestEnvironment.withServerAndDatabase { client, postgres in
            _ = try await client.json("/v1/products:batch", method: .post, body: ServerRouteTests.catalogBatch)
            var (status, json) = try await client.json("/v1/recommendations/homepage?user_id=a%00b")
            #expect(status == 400)
            #expect(errorField(json) == "user_id")
            (status, json) = try await client.json("/v1/recommendations/homepage?user_id=a%FFb")
            #expect(status == 400, "bytes that are not UTF-8")
            #expect(errorField(json) == "user_id")
            (status, json) = try await client.json("/v1/recommendations/homepage?user_id=a%0Ab")
            #expect(status == 400)
            #expect(errorField(json) == "user_id")
            (status, json) = try await client.json("/v1/recommendations/homepage?user_id=alice&limit=3")
            #expect(status == 200)
            let requestID = try #require(json["request_id"] as? String)
            var written = 0
            for _ in 0..<100 where written == 0 {
                try await Task.sleep(for: .milliseconds(50))
                written = try await Self.count(
                    postgres, "SELECT count(*)::int AS n FROM exposures WHERE request_id = $1", [requestID])
            }
            #expect(written == 1, "the exposure of the good request is written")
            (status, json) = try await client.json("/health")
            let exposures = json["exposures"] as? [String: Any]
            #expect(exposures?["queue_depth"] is Int)
            #expect(exposures?["oldest_age_seconds"] is Double || exposures?["oldest_age_seconds"] is Int)
        }
    }

    /// #21 "Why" 4: NUL and control characters are refused, so what is stored is what was acknowledged.
    @Test func nulAndControlCharactersAreRefusedNamingTheField() async throws {
        try await ServerTestEnvironment.withServerAndDatabase { client, postgres in
            let cases: [BadInput] = [
                BadInput("/v1/products/x", .put, #"{"name":"a\u0000b"}"#, 400, "name"),
                BadInput("/v1/products/x", .put, #"{"name":"ok","description":"d\u0000"}"#, 400, "description"),
                BadInput("/v1/products/x", .put, #"{"name":"ok","category":"c\u0007"}"#, 400, "category"),
                BadInput("/v1/products/a%00b", .put, #"{"name":"ok"}"#, 400, "id"),
                BadInput("/v1/products/a%01b", .get, nil, 400, "id"),
                BadInput("/v1/products/a%ZZ", .get, nil, 400, "id"),
                BadInput("/v1/events", .post, #"{"user_id":"a\u0000b","product_id":"p","event":"view"}"#, 400, "user_id"),
                BadInput("/v1/events", .post, #"{"user_id":"u","product_id":"p\u001f","event":"view"}"#, 400, "product_id"),
                BadInput("/v1/events", .post, #"{"user_id":"u","product_id":"p","event":"view","basket_id":"b\u0000"}"#, 400, "basket_id"),
                BadInput("/v1/events", .post, #"{"user_id":"u","product_id":"p","event":"view","event_id":"e\u0000"}"#, 400, "event_id"),
                BadInput("/v1/recommendations/cart", .post, #"{"items":["a\u0000"]}"#, 400, "items[0]"),
                BadInput("/v1/search?q=mug%00", .get, nil, 400, "q"),
                BadInput("/v1/recommendations/homepage?exclude=a,b%00c", .get, nil, 400, "exclude"),
                BadInput(
                    "/v1/experiments", .post,
                    #"{"key":"e1","description":"d\u0000","widgets":["homepage"],"variants":[{"key":"a","weight":0.5},{"key":"b","weight":0.5}]}"#,
                    400, "description"),
                BadInput(
                    "/v1/experiments", .post,
                    #"{"key":"e2","starts_at":"0000-01-01T00:00:00Z","widgets":["homepage"],"variants":[{"key":"a","weight":0.5},{"key":"b","weight":0.5}]}"#,
                    400, "starts_at"),
            ]
            for bad in cases {
                let (status, json) = try await client.json(bad.uri, method: bad.method, body: bad.body)
                #expect(status == bad.status, "\(bad.method) \(bad.uri)")
                #expect(errorField(json) == bad.field, "\(bad.method) \(bad.uri)")
            }
            #expect(try await Self.count(postgres, "SELECT count(*)::int AS n FROM interactions") == 0)
            #expect(try await Self.count(postgres, "SELECT count(*)::int AS n FROM products") == 0)
        }
    }

    /// #21 "Why" 5: values past a column's type or an index's entry size answered 500; now a 400
    /// naming the field. One bad event fails its batch by name and nothing of the batch is stored.
    @Test func outOfRangeValuesAnswer400AndABadEventStoresNothingOfItsBatch() async throws {
        try await ServerTestEnvironment.withServerAndDatabase { client, postgres in
            let longID = String(repeating: "x", count: 3000)
            let cases: [BadInput] = [
                BadInput("/v1/products/x", .put, #"{"name":"a","stock_quantity":2147483648}"#, 400, "stock_quantity"),
                BadInput("/v1/products/\(longID)", .put, #"{"name":"a"}"#, 400, "id"),
                BadInput("/v1/products/x", .put, #"{"name":"a","category":"\#(longID)"}"#, 400, "category"),
                BadInput("/v1/products:batch", .post, #"{"products":[{"product_id":"\#(longID)","name":"a"}]}"#, 400, "products[0].product_id"),
                BadInput("/v1/events", .post, #"{"user_id":"\#(longID)","product_id":"p","event":"view"}"#, 400, "user_id"),
                BadInput("/v1/events", .post, #"{"user_id":"u","product_id":"p","event":"view","basket_id":"\#(longID)"}"#, 400, "basket_id"),
                BadInput("/v1/events", .post, #"{"user_id":"u","product_id":"p","event":"view","quantity":2147483648}"#, 400, "quantity"),
                BadInput("/v1/recommendations/homepage?user_id=\(longID)", .get, nil, 400, "user_id"),
            ]
            for bad in cases {
                let (status, json) = try await client.json(bad.uri, method: bad.method, body: bad.body)
                #expect(status == bad.status, "\(bad.method) \(bad.uri.prefix(60))")
                #expect(errorField(json) == bad.field, "\(bad.method) \(bad.uri.prefix(60))")
            }
            var events = (0..<5).map { ServerRouteTests.event("batch-user", "p\($0)", "view") }
            events[3] = #"{"user_id":"batch-user","product_id":"p3","event":"view","timestamp":"0001-01-01T00:00:00Z"}"#
            let (status, json) = try await client.json("/v1/events", method: .post, body: "[\(events.joined(separator: ","))]")
            #expect(status == 400)
            #expect(errorField(json) == "events[3].timestamp")
            #expect(try await Self.count(postgres, "SELECT count(*)::int AS n FROM interactions") == 0, "nothing half-stored")
            #expect(try await Self.count(postgres, "SELECT count(*)::int AS n FROM products") == 0)
        }
    }

    /// #21 "Why" 5: ids in URL paths are percent-decoded (`caf%C3%A9-1` is `café-1`).
    @Test func pathIDsArePercentDecoded() async throws {
        try await ServerTestEnvironment.withServerAndDatabase { client, postgres in
            var (status, json) = try await client.json("/v1/products/caf%C3%A9-1", method: .put, body: #"{"name":"Café"}"#)
            #expect(status == 200)
            #expect(json["product_id"] as? String == "café-1")
            #expect(try await Self.count(postgres, "SELECT count(*)::int AS n FROM products WHERE id = $1", ["café-1"]) == 1)
            (status, json) = try await client.json("/v1/products/caf%C3%A9-1")
            #expect(status == 200)
            #expect(json["name"] as? String == "Café")
            (status, _) = try await client.json("/v1/products/caf%C3%A9-1", method: .delete)
            #expect(status == 204)
        }
    }
}
