/// The one reading of a yes/no written as text: environment variables, query parameters and
/// import files. Any case; `true/false`, `t/f` (PostgreSQL's exports), `yes/no`, `y/n`, `on/off`,
/// `1/0`. Settings read in several places with several spellings had disagreed: `on` enabled one
/// switch and silently disabled another.
public enum BooleanText {
    /// The value, or nil when `text` is none of the spellings (callers keep their default or
    /// report the field).
    public static func parse(_ text: some StringProtocol) -> Bool? {
        switch text.lowercased() {
        case "true", "t", "yes", "y", "on", "1": return true
        case "false", "f", "no", "n", "off", "0": return false
        default: return nil
        }
    }
}
