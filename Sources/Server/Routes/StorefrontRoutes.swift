import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// `GET /widget.js`: the storefront snippet (`WidgetScript`). Open like `/openapi.json` (a page
/// loads it with a plain script tag, before any key is in play) and cacheable: an hour in shared
/// caches, then revalidated by its `ETag` (a 304 costs no body).
struct StorefrontRoutes: Sendable {
    func register(on router: Router<APIRequestContext>) {
        let body = ByteBuffer(string: WidgetScript.source)
        router.get("/widget.js") { request, _ in
            var headers: HTTPFields = [
                .contentType: WidgetScript.contentType,
                .cacheControl: "public, max-age=3600",
                .eTag: WidgetScript.etag,
                .accessControlAllowOrigin: "*",
            ]
            headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
            let tags = request.headers[values: .ifNoneMatch].flatMap { $0.split(separator: ",") }
                .map { $0.trimmingCharacters(in: .whitespaces) }
            if tags.contains(WidgetScript.etag) || tags.contains("*") {
                return Response(status: .notModified, headers: headers)
            }
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: body))
        }
    }
}
