import Foundation

/// `YYYY-MM-DDTHH:MM:SSZ` (UTC, whole seconds) without a formatter, as `JSONEncoder`'s `.iso8601`
/// strategy writes it: the widget responses, the demo shop's NDJSON lines, the log lines and the
/// exposure batches all write one per record.
public enum ISO8601Text {
    /// Total: a date past ±10¹³ seconds (about ±300,000 years) or NaN is written as the nearest
    /// of those bounds instead of trapping in the `Int` conversion.
    public static func string(_ date: Date) -> String {
        let seconds = EpochSeconds.floor(date)
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ value: Int) -> String { value < 10 ? "0" + String(value) : String(value) }
        return String(year) + "-" + two(month) + "-" + two(day) + "T" + two(secondOfDay / 3600) + ":"
            + two(secondOfDay % 3600 / 60) + ":" + two(secondOfDay % 60) + "Z"
    }
}
