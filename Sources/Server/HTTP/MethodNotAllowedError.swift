import Foundation
import Hummingbird

/// A path the API serves asked with a method it does not (`TRACE /v1/widgets`, `DELETE
/// /v1/search`): 405 with the `Allow` header listing the methods that path takes, in the API's
/// JSON error body (code `method_not_allowed`). A path no route has stays a 404 `no_route`.
struct MethodNotAllowedError: Error, HTTPResponseError, Sendable {
    let method: HTTPRequest.Method
    let path: String
    /// Upper-case method names, sorted.
    let allowed: [String]

    var status: HTTPResponse.Status { .methodNotAllowed }

    var headers: HTTPFields {
        var fields: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        fields[.allow] = allowed.joined(separator: ", ")
        return fields
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let body: [String: [String: String?]] = [
            "error": [
                "code": "method_not_allowed",
                "message": "\(method.rawValue) is not allowed on \(path); allowed: \(allowed.joined(separator: ", "))",
                "field": nil,
            ]
        ]
        let data = try JSONEncoder().encode(body)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
