import Engine
import Foundation
import Hummingbird

/// Path parameters as the API means them: Hummingbird hands each segment over still
/// percent-encoded, so `/v1/products/caf%C3%A9-1` would otherwise be the id `caf%C3%A9-1`, not
/// `café-1`. Decoded strictly (a malformed escape or bytes that are not UTF-8 are a 400) and
/// checked against the id rule of `InputBounds`.
enum PathParameter {
    /// The decoded, checked id in `name`; a 400 naming `field` (default `name`) otherwise.
    static func id(
        _ context: some RequestContext, _ name: String, field: String? = nil, bounds: InputBounds
    ) throws -> String {
        let field = field ?? name
        let raw = try context.parameters.require(name)
        guard let decoded = InputBounds.percentDecoded(raw[...]) else {
            throw APIError.invalid(field, "\(field) must be percent-encoded UTF-8")
        }
        try bounds.checkID(decoded, field: field)
        return decoded
    }
}
