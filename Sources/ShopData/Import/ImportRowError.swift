/// Why one input row was rejected: the line number, the field and what is wrong with it.
/// The message never repeats the row's values (they may be personal data); the line number
/// is enough to find them.
public struct ImportRowError: Error, Sendable, Hashable, CustomStringConvertible {
    /// 1-based line in the input file (the header is line 1 in CSV files).
    public var line: Int
    /// The field at fault; nil when the whole line is unreadable.
    public var field: String?
    /// What is wrong, e.g. "is missing", "is not a number".
    public var reason: String

    public init(line: Int, field: String?, reason: String) {
        self.line = line
        self.field = field
        self.reason = reason
    }

    public var description: String {
        if let field { return "line \(line): field \(field) \(reason)" }
        return "line \(line): \(reason)"
    }
}
