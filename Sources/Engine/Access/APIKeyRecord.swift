import Foundation

/// One row of `api_keys`: everything about a key except the key itself.
public struct APIKeyRecord: Sendable, Equatable {
    /// The public part of the token (`hr_<id>_…`), shown by `keys list` and safe to log.
    public var id: String
    /// A label for people ("checkout page", "nightly import").
    public var name: String
    public var scope: APIKeyScope
    /// SHA-256 of the whole token, 64 lowercase hex digits.
    public var digest: String
    public var createdAt: Date
    public var revokedAt: Date?

    public var isActive: Bool { revokedAt == nil }
}
