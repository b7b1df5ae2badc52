import Foundation
import Hummingbird
import HummingbirdCore

/// Typed access to query parameters that turns every malformed value into a 400 naming the field.
/// Unknown parameters are ignored.
public struct QueryReader: Sendable {
    private let parameters: [String: String]

    public init(_ uri: URI) {
        var parameters: [String: String] = [:]
        for (key, value) in uri.queryParameters {
            parameters[String(key)] = String(value)
        }
        self.parameters = parameters
    }

    public init(_ parameters: [String: String]) {
        self.parameters = parameters
    }

    public func string(_ name: String) -> String? {
        guard let value = parameters[name], !value.isEmpty else { return nil }
        return value
    }

    public func requiredString(_ name: String) throws -> String {
        guard let value = string(name) else { throw APIError.missing(name) }
        return value
    }

    public func int(_ name: String, default defaultValue: Int, range: ClosedRange<Int>) throws -> Int {
        guard let raw = string(name) else { return defaultValue }
        guard let value = Int(raw) else { throw APIError.invalid(name, "\(name) must be an integer") }
        guard range.contains(value) else {
            throw APIError.invalid(name, "\(name) must be between \(range.lowerBound) and \(range.upperBound)")
        }
        return value
    }

    public func double(_ name: String) throws -> Double? {
        guard let raw = string(name) else { return nil }
        guard let value = Double(raw), value.isFinite else { throw APIError.invalid(name, "\(name) must be a number") }
        return value
    }

    public func bool(_ name: String, default defaultValue: Bool) throws -> Bool {
        guard let raw = string(name)?.lowercased() else { return defaultValue }
        switch raw {
        case "true", "1", "yes", "on": return true
        case "false", "0", "no", "off": return false
        default: throw APIError.invalid(name, "\(name) must be true or false")
        }
    }
}
