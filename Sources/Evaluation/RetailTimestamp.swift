import Foundation
import Support

/// The data set's `YYYY-MM-DDTHH:MM:SS` (or a bare `YYYY-MM-DD`) local timestamps, read as UTC
/// consistently for history, splits and queries.
public enum RetailTimestamp {
    public static func parse(_ text: String) -> Date? {
        ISO8601Text.date(from: text)
    }
}
