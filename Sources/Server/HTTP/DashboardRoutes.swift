import Hummingbird
import NIOCore

/// `/dashboard`: the server-rendered experiments page.
struct DashboardRoutes: Sendable {
    let services: ServiceBundle

    func register(on router: Router<BasicRequestContext>) {
        router.get("/dashboard") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: "<!doctype html><title>HybridRank</title><h1>HybridRank</h1>")))
        }
    }
}
