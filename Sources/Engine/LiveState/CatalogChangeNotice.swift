import NIOConcurrencyHelpers

/// Tells this replica's `CatalogReconciler` that another replica published a catalog write on
/// the event stream, so it reads PostgreSQL now instead of at its next interval. The message is
/// only a nudge: what changed is always read from PostgreSQL, so a lost or repeated one is harmless.
package final class CatalogChangeNotice: Sendable {
    package init() {}

    private let pending = NIOLockedValueBox(false)

    func signal() {
        pending.withLockedValue { $0 = true }
    }

    /// Whether a change was signalled since the last call (and clears it).
    func take() -> Bool {
        pending.withLockedValue { value in
            defer { value = false }
            return value
        }
    }
}
