import Experiments
import Foundation
import Hummingbird
import NIOCore
import Support

/// Decodes JSON bodies and turns decoding failures into 400s that name the offending field
/// (the coding path, e.g. `products[2].price`) without echoing the value.
enum BodyDecoder {
    static func makeDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            if let seconds = try? container.decode(Double.self) {
                return Date(timeIntervalSince1970: seconds)
            }
            let text = try container.decode(String.self)
            if let date = ISO8601Text.dateTime(from: text) { return date }
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected an ISO-8601 date-time")
        }
        return decoder
    }

    static func decode<T: Decodable>(_ type: T.Type, from buffer: ByteBuffer) throws -> T {
        let data = Data(buffer.readableBytesView)
        guard !data.isEmpty else {
            throw APIError(status: .badRequest, code: "invalid_body", message: "request body must be a JSON document")
        }
        do {
            return try makeDecoder().decode(type, from: data)
        } catch let DecodingError.typeMismatch(_, context) {
            throw APIError.invalid(path(context.codingPath), "\(path(context.codingPath)) has the wrong type")
        } catch let DecodingError.valueNotFound(_, context) {
            throw APIError.invalid(path(context.codingPath), "\(path(context.codingPath)) must not be null")
        } catch let DecodingError.keyNotFound(key, context) {
            throw APIError.missing(path(context.codingPath + [key]))
        } catch let DecodingError.dataCorrupted(context) where !context.codingPath.isEmpty {
            throw APIError.invalid(path(context.codingPath), "\(path(context.codingPath)) is malformed")
        } catch let error as FieldError {
            throw APIError.invalid(error.field, error.message)
        } catch {
            throw APIError(status: .badRequest, code: "invalid_body", message: "request body is not valid JSON")
        }
    }

    /// The API's field name for a coding path (`products[2].price`): `FieldPath`, shared with the
    /// strict decoders that name unknown keys.
    static func path(_ codingPath: [any CodingKey]) -> String {
        FieldPath.string(codingPath)
    }
}
