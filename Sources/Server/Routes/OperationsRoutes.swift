import Engine
import Foundation
import Hummingbird
import NIOCore

/// `/health`, `/metrics` and `/openapi.json`: what load balancers, Prometheus and API clients read.
struct OperationsRoutes: Sendable {
    let services: ServiceBundle

    func register(on router: Router<APIRequestContext>) {
        router.get("/health") { _, _ in
            let report = await self.services.health.report()
            return try HTTPBody.json(report, status: report.status == "down" ? .serviceUnavailable : .ok)
        }
        router.get("/metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                body: .init(byteBuffer: ByteBuffer(string: self.services.metrics.prometheusText())))
        }
        let openAPI = OpenAPIDocument.served(readAccess: services.configuration.access.readAccess)
        router.get("/openapi.json") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: openAPI)))
        }
    }
}
