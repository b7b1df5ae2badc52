/// The kind of failure of the error type `Owner` (`PostgresError.Code`, `ServiceError.Code`): a
/// name, compared and printed as it is. Each owner's module declares its kinds as static members
/// (`extension ErrorCode where Owner == PostgresError`).
///
/// A struct rather than an enum, so a kind can be added without breaking a caller's `switch`;
/// created only inside this package, so callers match the declared kinds and never coin their own.
public struct ErrorCode<Owner>: Hashable, Sendable, CustomStringConvertible {
    /// The kind's name, as logs and `description`s of the owner print it.
    public let description: String

    package init(_ name: String) { description = name }
}
