import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Engine

/// The cart's basket model (`LiveIndexes.basketEASE`) is fitted at start on the purchases before
/// the last refit boundary and refitted by `BasketModelRefresher` when the next one passes; its
/// gauges on /metrics say how far its data reaches and how many products it holds.
@Suite(.enabled(if: ServerTestEnvironment.available, "needs POSTGRES_URL and REDIS_URL"))
struct BasketModelRefitTests {
    @Test func purchasesReachTheModelAtTheNextBoundary() async throws {
        try await ServerTestEnvironment.withServer(configure: { $0.basketModelRefitPeriod = 1 }) { client in
            _ = try await client.json("/v1/products:batch", method: .post, body: ServerRouteTests.catalogBatch)
            let before = try await Self.gauges(client)
            #expect(before.products == 0)
            var events: [String] = []
            for (basket, items) in [("o1", ["kitchen-0", "kitchen-1"]), ("o2", ["kitchen-0", "kitchen-1", "garden-0"]), ("o3", ["garden-0", "garden-1"])] {
                for item in items { events.append(ServerRouteTests.event("u-\(basket)", item, "purchase", basket: basket)) }
            }
            let (status, _) = try await client.json("/v1/events", method: .post, body: "[\(events.joined(separator: ","))]")
            #expect(status == 202)
            // The refresher looks every second and the boundary moves every second: within a few
            // seconds the model holds the four products and its data reaches past the purchases.
            var after = before
            for _ in 0..<40 where after.products < 4 {
                try await Task.sleep(for: .milliseconds(250))
                after = try await Self.gauges(client)
            }
            #expect(after.products == 4)
            #expect(after.fittedUpTo > before.fittedUpTo)
        }
    }

    static func gauges(_ client: any TestClientProtocol) async throws -> (products: Double, fittedUpTo: Double) {
        let response = try await client.executeRequest(uri: "/metrics", method: .get, headers: [:], body: nil)
        let text = String(buffer: response.body)
        func value(_ name: String) -> Double {
            text.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap { Double($0.split(separator: " ").last ?? "") } ?? -1
        }
        return (value("hybridrank_basket_model_products"), value("hybridrank_basket_model_fitted_up_to_timestamp_seconds"))
    }
}
