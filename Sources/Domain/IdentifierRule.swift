/// The rule every product, user, basket, request, event and experiment id is held to: 1 to
/// `maximumLength` characters (Unicode code points), no whitespace, no control characters.
///
/// Why: ids sit in btree indexes (PostgreSQL refuses entries over about 2.7 KB), libpq cuts text
/// at NUL, and an id with a space or a control character cannot round-trip through a URL path or a
/// log line unchanged. The HTTP layer's `InputBounds` and the widget settings' validation both
/// apply this one rule, and `/openapi.json` states it as `pattern` and `maxLength` (`pattern`).
///
/// Lengths are in code points, not UTF-8 bytes, because that is what JSON Schema's `maxLength`
/// counts: the document and the service then accept exactly the same ids (schemathesis's positive
/// and negative conformance checks hold both ways). 256 code points are at most 1,024 UTF-8
/// bytes, still far below the index entry limit (no index holds two ids), and ASCII ids keep
/// their 256 bytes.
public enum IdentifierRule {
    /// In Unicode code points; above any id a shop uses.
    public static let maximumLength = 256

    /// The same rule as an ECMA-262 / Python regular expression, as `/openapi.json` states it (with
    /// the length in the pattern too, and `maxLength` `maximumLength`): the excluded characters are exactly C0, DEL,
    /// C1 and Unicode `White_Space`, the set `isValid` refuses (a unit test compares the two
    /// over every code point of the Basic Multilingual Plane).
    public static let pattern = "^[^" + excludedCharacters + "]{1,\(maximumLength)}$"

    /// The characters no id may hold, as the inside of a regular-expression character class
    /// (lists of ids, `exclude=a,b`, build their patterns from it).
    public static let excludedCharacters = #"\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"#

    public static func isValid(_ id: String, maximumLength: Int = maximumLength) -> Bool {
        // UTF-8 bytes bound code points from above: most ids are ASCII and skip the count.
        let bytes = id.utf8.count
        guard bytes > 0 else { return false }
        if bytes > maximumLength, id.unicodeScalars.count > maximumLength { return false }
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
