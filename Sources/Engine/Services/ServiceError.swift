import Experiments
import Storage
import Support

/// Why a request service could not do what it was asked, in the application's own terms.
///
/// The services know nothing of HTTP; the server maps each code to one status in one place
/// (`ServiceError.init(_:)` in the server's error middleware). Messages name the field and the rule,
/// never the submitted value, so responses and logs stay free of user data.
public struct ServiceError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is (declared below, printed in snake case).
    public typealias Code = ErrorCode<ServiceError>

    public let code: Code
    public var message: String
    /// The field the error is about (`events[3].timestamp`), nil when it is about no one field.
    public var field: String?

    private init(code: Code, message: String, field: String?) {
        self.code = code
        self.message = message
        self.field = field
    }

    public static func invalid(_ field: String, _ message: String) -> ServiceError {
        ServiceError(code: .invalidField, message: message, field: field)
    }

    public static func missing(_ field: String) -> ServiceError {
        ServiceError(code: .missingField, message: "\(field) is required", field: field)
    }

    public static func notFound(_ what: String, field: String? = nil) -> ServiceError {
        ServiceError(code: .notFound, message: "\(what) not found", field: field)
    }

    public static func conflict(_ message: String, field: String? = nil) -> ServiceError {
        ServiceError(code: .conflict, message: message, field: field)
    }

    public static func unavailable(_ dependency: String) -> ServiceError {
        ServiceError(code: .unavailable, message: "\(dependency) is unavailable; retry later", field: nil)
    }

    public var description: String { "ServiceError(\(code)\(field.map { " field=\($0)" } ?? ""))" }

    /// Throws one error naming the first field, counting and naming the rest; returns when empty.
    public static func check(_ errors: [FieldError]) throws {
        guard let first = errors.first else { return }
        var error = ServiceError.invalid(first.field, first.message)
        if errors.count > 1 {
            error.message += " (and \(errors.count - 1) more: " + errors.dropFirst().map(\.field).joined(separator: ", ") + ")"
        }
        throw error
    }

    /// Runs `body`; a PostgreSQL outage (a retryable failure or a closed pool) becomes `unavailable`.
    public static func postgresGuarded<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as PostgresError where error.isRetryable || error.code == .poolClosed {
            throw ServiceError.unavailable("PostgreSQL")
        }
    }
}

extension ErrorCode where Owner == ServiceError {
    /// A value breaks a rule (a bound, a format, a reference to something unknown).
    public static var invalidField: Self { Self("invalid_field") }
    /// A required value is absent.
    public static var missingField: Self { Self("missing_field") }
    /// The thing asked for does not exist.
    public static var notFound: Self { Self("not_found") }
    /// The request contradicts the current state (a duplicate key, a forbidden transition).
    public static var conflict: Self { Self("conflict") }
    /// A dependency (PostgreSQL, the key table) cannot answer now; retrying later may work.
    public static var unavailable: Self { Self("unavailable") }
}
