import Support

/// Fields for `COPY … FROM STDIN` in PostgreSQL's default text format: tab-separated, `\N`
/// for NULL, backslash escapes for backslash, tab, newline and carriage return.
public enum PostgresCopyText {
    /// The NULL marker.
    public static let null = "\\N"

    /// Escapes one field value.
    /// - Complexity: O(n); returns `value` itself when nothing needs escaping (the common case).
    public static func escape(_ value: String) -> String {
        var needsEscaping = false
        for byte in value.utf8 where byte == 0x5c || byte == 0x09 || byte == 0x0a || byte == 0x0d {
            needsEscaping = true
            break
        }
        guard needsEscaping else { return value }
        return value.escaping(escapes)
    }

    /// Backslash, tab, newline and carriage return as COPY's backslash escapes.
    static let escapes: [Unicode.Scalar: String] = ["\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"]

    /// One line from fields (`nil` = NULL), escaped and tab-joined.
    public static func line(_ fields: [String?]) -> String {
        var line = ""
        for (index, field) in fields.enumerated() {
            if index > 0 { line += "\t" }
            line += field.map(escape) ?? null
        }
        return line
    }
}
