/// The idempotency key of an imported event: a 128-bit hash of what the event says (user,
/// product, type, time, quantity, value, basket, request), so importing the same file twice, or
/// two files that overlap, stores each event once. A file's own `event_id` wins when present
/// (`Interaction.eventKey(clientEventID:)`).
///
/// Two FNV-1a 64-bit hashes with different offsets; stable across runs and platforms (unlike
/// `Hasher`), and 128 bits make an accidental collision among billions of events negligible.
public enum EventKey {
    public static func make(fields: [String]) -> String {
        var high: UInt64 = 0xcbf2_9ce4_8422_2325
        var low: UInt64 = 0x84222325_cbf29ce4
        let prime: UInt64 = 0x0000_0100_0000_01b3
        for (index, field) in fields.enumerated() {
            if index > 0 {
                high = (high ^ 0x1f) &* prime
                low = (low ^ 0x1e) &* prime
            }
            for byte in field.utf8 {
                high = (high ^ UInt64(byte)) &* prime
                low = (low ^ UInt64(byte)) &* prime
            }
        }
        return "h" + hex(high) + hex(low)
    }

    private static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
