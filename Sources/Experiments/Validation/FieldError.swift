/// One problem with an experiment definition, naming the field it is about
/// (`variants[1].weight`, `namespace.end`, …) so the HTTP layer can answer a precise 400:
/// `{"field": "variants[1].weight", "message": "must be between 0 and 1"}`.
///
/// Messages never repeat the submitted values (they may be user data that ends up in logs).
public struct FieldError: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    public var field: String
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}

/// Thrown when a definition has one or more `FieldError`s.
public struct ExperimentValidationError: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    public var errors: [FieldError]

    public init(errors: [FieldError]) {
        self.errors = errors
    }

    public var description: String {
        "invalid experiment: " + errors.map(\.description).joined(separator: "; ")
    }
}
