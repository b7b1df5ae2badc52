import Engine
import Foundation
import Hummingbird

/// Every error the API answers with, mapped to HTTP in one place.
///
/// The body is always `{"error": {"code", "message", "field"}}`. Messages name the field and the
/// rule, never echo the submitted value (logs and responses stay free of user data).
public struct APIError: Error, HTTPResponseError, Sendable, CustomStringConvertible {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    public var field: String?

    public init(status: HTTPResponse.Status, code: String, message: String, field: String? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.field = field
    }

    public static func invalid(_ field: String, _ message: String) -> APIError {
        APIError(status: .badRequest, code: "invalid_parameter", message: message, field: field)
    }

    public static func missing(_ field: String) -> APIError {
        APIError(status: .badRequest, code: "missing_parameter", message: "\(field) is required", field: field)
    }

    public static func notFound(_ what: String, field: String? = nil) -> APIError {
        APIError(status: .notFound, code: "not_found", message: "\(what) not found", field: field)
    }

    /// No route has this path and method (a typo, a wrong method): the document lists them all.
    public static func noRoute(_ method: HTTPRequest.Method, _ path: String) -> APIError {
        APIError(
            status: .notFound, code: "no_route",
            message: "no route for \(method.rawValue) \(path); GET /openapi.json lists every route")
    }

    public static func unavailable(_ dependency: String) -> APIError {
        APIError(
            status: .serviceUnavailable, code: "dependency_unavailable",
            message: "\(dependency) is unavailable; retry later")
    }

    public static func conflict(_ message: String, field: String? = nil) -> APIError {
        APIError(status: .conflict, code: "conflict", message: message, field: field)
    }

    /// The one mapping from the application's errors to HTTP: invalid or missing field 400,
    /// not found 404, conflict 409, a dependency unavailable 503.
    public init(_ error: ServiceError) {
        switch error.code {
        case .missingField:
            self.init(status: .badRequest, code: "missing_parameter", message: error.message, field: error.field)
        case .notFound:
            self.init(status: .notFound, code: "not_found", message: error.message, field: error.field)
        case .conflict:
            self.init(status: .conflict, code: "conflict", message: error.message, field: error.field)
        case .unavailable:
            self.init(status: .serviceUnavailable, code: "dependency_unavailable", message: error.message, field: error.field)
        default:
            self.init(status: .badRequest, code: "invalid_parameter", message: error.message, field: error.field)
        }
    }

    public var description: String { "APIError(\(status.code) \(code)\(field.map { " field=\($0)" } ?? ""))" }

    private struct Body: Encodable {
        struct Detail: Encodable {
            let code: String
            let message: String
            let field: String?

            /// `field` is always present (null when the error is not about one field).
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(code, forKey: .code)
                try container.encode(message, forKey: .message)
                try container.encode(field, forKey: .field)
            }

            enum CodingKeys: String, CodingKey { case code, message, field }
        }
        let error: Detail
    }

    public var headers: HTTPFields { [.contentType: "application/json; charset=utf-8"] }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = Body(error: .init(code: code, message: message, field: field))
        let data = try JSONEncoder().encode(body)
        return Response(
            status: status, headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
