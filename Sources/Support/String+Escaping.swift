extension String {
    /// This text with every scalar that `escapes` lists written as its escape, the rest as they
    /// are: one loop for the escapers that differ only in their table (HTML entities in the
    /// dashboard, backslash escapes in PostgreSQL's COPY text).
    /// - Complexity: O(n), one dictionary lookup per scalar.
    public func escaping(_ escapes: [Unicode.Scalar: String]) -> String {
        var escaped = ""
        escaped.reserveCapacity(utf8.count)
        for scalar in unicodeScalars {
            if let escape = escapes[scalar] {
                escaped += escape
            } else {
                escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }
}
