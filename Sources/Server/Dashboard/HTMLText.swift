import Support

/// Escaping for text and attribute values in the server-rendered pages: every user-supplied
/// string (experiment keys, descriptions, variant keys) goes through `escape` before it is
/// written into HTML or SVG.
enum HTMLText {
    /// `&`, `<`, `>`, `"` and `'` as entities; safe in element content and quoted attributes.
    static func escape(_ text: String) -> String {
        text.escaping(entities)
    }

    /// The five characters that could end an element's text or a quoted attribute.
    static let entities: [Unicode.Scalar: String] = ["&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;"]
}
