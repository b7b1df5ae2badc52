/// What an API key may do. Scopes are ordered: each grants everything the ones below it grant,
/// so one admin key also posts events and reads widgets.
///
/// - `read`: widget reads and search, when `AccessConfiguration.readAccess` is `.keyed`.
/// - `ingest`: posting events (and reading). Meant to ship in a browser's JavaScript, so it can
///   do nothing an anonymous visitor could not already do by clicking around the shop.
/// - `admin`: catalog writes, experiments, widget settings, the dashboard and `/metrics`.
public enum APIKeyScope: String, Sendable, CaseIterable, Comparable, Codable {
    case read
    case ingest
    case admin

    private var rank: Int {
        switch self {
        case .read: 0
        case .ingest: 1
        case .admin: 2
        }
    }

    public static func < (lhs: APIKeyScope, rhs: APIKeyScope) -> Bool { lhs.rank < rhs.rank }

    /// Whether a key of this scope may call a route that requires `required`.
    public func grants(_ required: APIKeyScope) -> Bool { self >= required }
}
