/// The rule every product, user, basket, request, event and experiment id is held to: 1 to
/// `maximumBytes` UTF-8 bytes, no whitespace, no control characters.
///
/// Why: ids sit in btree indexes (PostgreSQL refuses entries over about 2.7 KB), libpq cuts text
/// at NUL, and an id with a space or a control character cannot round-trip through a URL path or a
/// log line unchanged. The HTTP layer's `InputBounds` and the widget settings' validation both
/// apply this one rule.
public enum IdentifierRule {
    /// 256 bytes stays far below PostgreSQL's entry limit and above any id a shop uses.
    public static let maximumBytes = 256

    public static func isValid(_ id: String, maximumBytes: Int = maximumBytes) -> Bool {
        let bytes = id.utf8.count
        guard bytes > 0, bytes <= maximumBytes else { return false }
        for scalar in id.unicodeScalars where scalar.properties.isWhitespace || isControl(scalar) {
            return false
        }
        return true
    }

    /// C0 controls, DEL and C1 controls.
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }
}
