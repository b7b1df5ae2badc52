/// The rule free text is held to — product names, descriptions and categories, a customer's
/// country — whichever way it arrives (the API's `InputBounds` and `hybridrank import`): at most a
/// bounded number of characters (Unicode code points, as JSON Schema's `maxLength` counts), and
/// no NUL or control characters other than tab, line feed and carriage return.
///
/// Why: PostgreSQL text cannot hold NUL (one in an import row failed the whole file's `COPY`),
/// control characters corrupt log lines and widget markup, and names and categories are shown in
/// widgets and fed to the encoders, which read only their start.
public enum TextRule {
    /// Product names: shown in widgets and fed to the encoders.
    public static let maximumNameCharacters = 500
    /// Product descriptions: the bi-encoder reads only their start anyway.
    public static let maximumDescriptionCharacters = 10_000
    /// Categories (and other short labels): `products_category_live_idx` indexes them (≤ 1,024 bytes).
    public static let maximumCategoryCharacters = 256

    /// `isPrintable` as the regular expression `/openapi.json` states for free text (with the
    /// length bound added: `pattern(maximumCharacters:)`); a unit test compares the two.
    public static let pattern = "^[^" + excludedCharacters + "]*$"

    /// The characters free text may not hold, as the inside of a character class.
    public static let excludedCharacters = #"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"#

    public static func pattern(minimumCharacters: Int = 0, maximumCharacters: Int) -> String {
        "^[^" + excludedCharacters + "]{\(minimumCharacters),\(maximumCharacters)}$"
    }

    /// Whether `text` has at most `maximumCharacters` code points.
    public static func fits(_ text: String, maximumCharacters: Int) -> Bool {
        // UTF-8 bytes bound code points from above: most text is short ASCII and skips the count.
        text.utf8.count <= maximumCharacters || text.unicodeScalars.count <= maximumCharacters
    }

    /// No NUL, no controls except `\t`, `\n`, `\r` (C0, DEL and C1 refused).
    public static func isPrintable(_ text: String) -> Bool {
        for byte in text.utf8 where byte < 0x20 || byte == 0x7F {
            if byte != 0x09 && byte != 0x0A && byte != 0x0D { return false }
        }
        // C1 controls are two-byte sequences starting 0xC2 0x80…0x9F; check scalars only then.
        guard text.utf8.contains(0xC2) else { return true }
        return !text.unicodeScalars.contains { (0x80...0x9F).contains($0.value) }
    }
}
