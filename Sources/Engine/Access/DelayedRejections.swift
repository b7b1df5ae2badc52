import NIOConcurrencyHelpers

/// Holds refusals (429) back a moment, so a client that ignores `Retry-After` and retries at
/// once sends one request a delay instead of as many as the service can refuse, but never more
/// than a bounded number at a time.
package final class DelayedRejections: Sendable {
    package init() {}

    private let held = NIOLockedValueBox(0)

    /// Waits `seconds` unless `atMost` refusals are already waiting (then returns at once).
    package func hold(seconds: Double, atMost: Int) async {
        guard seconds > 0 else { return }
        let admitted = held.withLockedValue { count in
            guard count < atMost else { return false }
            count += 1
            return true
        }
        guard admitted else { return }
        try? await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
        held.withLockedValue { $0 -= 1 }
    }
}
