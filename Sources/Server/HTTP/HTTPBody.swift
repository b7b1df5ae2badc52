import Foundation
import Hummingbird
import NIOCore

/// Reading request bodies and writing JSON answers, the same way on every route.
enum HTTPBody {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok, encoder: JSONEncoder = HTTPBody.encoder) throws -> Response {
        let data = try encoder.encode(value)
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func collect(_ request: inout Request, limit: Int) async throws -> ByteBuffer {
        do {
            return try await request.collectBody(upTo: limit)
        } catch {
            throw APIError(
                status: .contentTooLarge, code: "body_too_large", message: "request body must be at most \(limit) bytes")
        }
    }

    static func decode<T: Decodable>(_ type: T.Type, from request: inout Request, limit: Int) async throws -> T {
        let buffer = try await collect(&request, limit: limit)
        return try BodyDecoder.decode(type, from: buffer)
    }
}
