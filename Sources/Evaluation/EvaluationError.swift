/// Errors of the offline tools. Descriptions name files and columns, never data values.
public struct EvaluationError: Error, CustomStringConvertible, Sendable {
    public let description: String

    public static func missingColumn(_ name: String) -> EvaluationError {
        EvaluationError(description: "missing CSV column '\(name)'")
    }

    public static func unreadableFile(_ name: String) -> EvaluationError {
        EvaluationError(description: "cannot read file '\(name)'")
    }

    public static func badValue(column: String, row: Int) -> EvaluationError {
        EvaluationError(description: "unparseable value in column '\(column)' at row \(row)")
    }

    public static func invalidArgument(_ what: String) -> EvaluationError {
        EvaluationError(description: what)
    }
}
