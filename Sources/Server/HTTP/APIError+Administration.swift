import Experiments
import Storage

/// How the administration services (experiments, widget settings) turn validation problems and
/// a PostgreSQL outage into answers.
extension APIError {
    /// Throws one 400 naming the first field, counting and naming the rest; returns when empty.
    static func check(_ errors: [FieldError]) throws {
        guard let first = errors.first else { return }
        var error = APIError.invalid(first.field, first.message)
        if errors.count > 1 {
            error.message += " (and \(errors.count - 1) more: " + errors.dropFirst().map(\.field).joined(separator: ", ") + ")"
        }
        throw error
    }

    /// Runs `body`; a PostgreSQL outage (a retryable failure or a closed pool) becomes 503.
    static func postgresGuarded<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as PostgresError where error.isRetryable || error.code == .poolClosed {
            throw APIError.unavailable("PostgreSQL")
        }
    }
}
