/// Escaping for text and attribute values in the server-rendered pages: every user-supplied
/// string (experiment keys, descriptions, variant keys) goes through `escape` before it is
/// written into HTML or SVG.
enum HTMLText {
    /// `&`, `<`, `>`, `"` and `'` as entities; safe in element content and quoted attributes.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }
}
