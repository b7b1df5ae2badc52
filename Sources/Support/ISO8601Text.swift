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

    /// The UTC day `YYYY-MM-DD` of `date`, as the daily performance tables key their rows (a
    /// `DateFormatter` would follow the process locale's calendar unless told otherwise).
    public static func day(_ date: Date) -> String {
        String(string(date).prefix(10))
    }

    /// A date-time as the API's JSON bodies carry one (events' `timestamp`, products' `created_at`,
    /// experiments' `starts_at`/`ends_at`): `date(from:)`'s forms with the time and its seconds
    /// required — `YYYY-MM-DD(T|t| )HH:MM:SS[.fff…][Z|z|±HH[:MM]]`, no zone meaning UTC. Days that
    /// do not exist are refused, where Foundation's ISO-8601 readers rolled Feb 30 over to Mar 1.
    public static func dateTime(from text: String) -> Date? {
        let bytes = text.utf8
        guard bytes.count >= 19 else { return nil }
        let separator = bytes[bytes.index(bytes.startIndex, offsetBy: 10)]
        let secondsColon = bytes[bytes.index(bytes.startIndex, offsetBy: 16)]
        guard separator == 0x54 || separator == 0x74 || separator == 0x20, secondsColon == 0x3a else { return nil }
        return date(from: text)
    }

    /// Parses `YYYY-MM-DD[(T|t| )HH:MM[:SS[(.|,)fff…]]][Z|z|±HH[[:]MM[:SS]]]`; no zone means UTC.
    ///
    /// The one reader of ISO-8601-like times: import files, PostgreSQL's `timestamptz` text
    /// (`2024-01-02 03:04:05.123456+00`, historic offsets with seconds) and the Online Retail
    /// CSV (`2010-12-01T08:26:00`, 600k rows, so no `DateFormatter`). Days that do not exist
    /// (Feb 30) are refused.
    public static func date(from text: String) -> Date? {
        let bytes = Array(text.utf8)
        var index = 0
        func digits(_ count: Int) -> Int? {
            guard index + count <= bytes.count else { return nil }
            var value = 0
            for offset in 0..<count {
                let byte = bytes[index + offset]
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            index += count
            return value
        }
        func take(_ byte: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }
        guard let year = digits(4), take(0x2d), let month = digits(2), take(0x2d), let day = digits(2) else { return nil }
        var hour = 0
        var minute = 0
        var second = 0
        var fraction = 0.0
        var offset = 0
        if index < bytes.count {
            guard take(0x54) || take(0x20) || take(0x74) else { return nil }
            guard let h = digits(2), take(0x3a), let m = digits(2) else { return nil }
            hour = h
            minute = m
            if take(0x3a) {
                guard let s = digits(2) else { return nil }
                second = s
                if take(0x2e) || take(0x2c) {
                    var scale = 0.1
                    var any = false
                    while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                        fraction += Double(bytes[index] - 0x30) * scale
                        scale /= 10
                        index += 1
                        any = true
                    }
                    guard any else { return nil }
                }
            }
            if take(0x5a) || take(0x7a) {
                // UTC
            } else if index < bytes.count {
                let sign: Int
                if take(0x2b) { sign = 1 } else if take(0x2d) { sign = -1 } else { return nil }
                guard let zoneHours = digits(2) else { return nil }
                var zoneSeconds = zoneHours * 3600
                if index < bytes.count {
                    _ = take(0x3a)
                    guard let zoneMinutes = digits(2) else { return nil }
                    zoneSeconds += zoneMinutes * 60
                    if take(0x3a) {
                        guard let extra = digits(2) else { return nil }
                        zoneSeconds += extra
                    }
                }
                offset = sign * zoneSeconds
            }
        }
        guard index == bytes.count else { return nil }
        guard (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else { return nil }
        // Reject days that do not exist in the month (Feb 30).
        let daysInMonth = [31, (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard day <= daysInMonth[month - 1] else { return nil }
        let seconds = daysSinceEpoch(year: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60 + second - offset
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }

    /// Days from 1970-01-01 to a civil date (Howard Hinnant's algorithm), no calendar objects.
    public static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
