import Engine
import Foundation
import Hummingbird
import HummingbirdCore
import Support

/// Typed access to query parameters that turns every malformed value into a 400 naming the field.
/// Unknown parameters are ignored.
///
/// Values are percent-decoded here, strictly: Hummingbird's `queryParameters` keeps a malformed
/// escape as typed and replaces bytes that are not UTF-8, so a value could silently differ from
/// what was sent. A value that does not decode, or holds NUL or another control character
/// (`user_id=a%00b`), is refused when read, naming its parameter.
public struct QueryReader: Sendable {
    private let parameters: [String: String]
    /// Parameters present whose value did not percent-decode to UTF-8.
    private let undecodable: Set<String>

    public init(_ uri: URI) {
        var parameters: [String: String] = [:]
        var undecodable = Set<String>()
        for pair in (uri.query ?? "").split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = String(parts[0])
            let rawValue = parts.count > 1 ? parts[1] : ""
            if let value = InputBounds.percentDecoded(rawValue) {
                parameters[key] = value
                undecodable.remove(key)
            } else {
                parameters[key] = nil
                undecodable.insert(key)
            }
        }
        self.parameters = parameters
        self.undecodable = undecodable
    }

    public init(_ parameters: [String: String]) {
        self.parameters = parameters
        self.undecodable = []
    }

    /// The value, or nil when absent (or empty, when `emptyMeansAbsent`); throws for a value that
    /// is not percent-encoded UTF-8 or that holds a control character. An empty value of a
    /// parameter that cannot be empty (`user_id=`) is refused, not ignored: `/openapi.json` calls it
    /// invalid (`minLength` 1), and a caller who sent it meant something.
    public func string(_ name: String, emptyMeansAbsent: Bool = true) throws -> String? {
        if undecodable.contains(name) { throw APIError.invalid(name, "\(name) must be percent-encoded UTF-8") }
        guard let value = parameters[name] else { return nil }
        guard !value.isEmpty else {
            if emptyMeansAbsent { return nil }
            throw APIError.invalid(name, "\(name) must not be empty")
        }
        guard !value.unicodeScalars.contains(where: InputBounds.isControl) else {
            throw APIError.invalid(name, "\(name) must not contain NUL or control characters")
        }
        return value
    }

    public func requiredString(_ name: String) throws -> String {
        guard let value = try string(name) else { throw APIError.missing(name) }
        return value
    }

    public func int(_ name: String, default defaultValue: Int, range: ClosedRange<Int>) throws -> Int {
        guard let raw = try string(name, emptyMeansAbsent: false) else { return defaultValue }
        guard let value = Int(raw) else { throw APIError.invalid(name, "\(name) must be an integer") }
        guard range.contains(value) else {
            throw APIError.invalid(name, "\(name) must be between \(range.lowerBound) and \(range.upperBound)")
        }
        return value
    }

    public func double(_ name: String) throws -> Double? {
        guard let raw = try string(name, emptyMeansAbsent: false) else { return nil }
        guard let value = Double(raw), value.isFinite else { throw APIError.invalid(name, "\(name) must be a number") }
        return value
    }

    public func bool(_ name: String, default defaultValue: Bool) throws -> Bool {
        guard let raw = try string(name, emptyMeansAbsent: false) else { return defaultValue }
        guard let value = BooleanText.parse(raw) else { throw APIError.invalid(name, "\(name) must be true or false") }
        return value
    }
}
