import Foundation
import Support

/// `timestamptz` text in and out. Connections run with `TimeZone=UTC` and `DateStyle=ISO`, so
/// the server prints `2024-01-02 03:04:05.123456+00`; values are sent as ISO-8601 UTC with
/// microseconds, PostgreSQL's resolution.
enum PostgresTimestamp {
    /// Seconds beyond every `timestamptz` (PostgreSQL's range ends in 294276 AD, about 9.2·10¹²
    /// seconds after 1970, and starts in 4713 BC) yet far inside `Int`'s range.
    static let formattableSeconds = 1e13

    /// `2024-01-02T03:04:05.123456Z`; `infinity` / `-infinity` for the infinite dates.
    ///
    /// Total: any `Date` formats. A finite date outside PostgreSQL's range is clamped to
    /// ±`formattableSeconds`, a text the server refuses with SQLSTATE 22008 (a data error the
    /// caller sees), never a trap in the process; NaN formats as `NaN`, which the server refuses too.
    static func format(_ date: Date) -> String {
        let raw = date.timeIntervalSince1970
        if raw.isNaN { return "NaN" }
        if raw.isInfinite { return raw < 0 ? "-infinity" : "infinity" }
        let interval = min(max(raw, -formattableSeconds), formattableSeconds)
        var seconds = Int(interval.rounded(.down))
        var micros = Int(((interval - Double(seconds)) * 1_000_000).rounded())
        if micros >= 1_000_000 {
            seconds += 1
            micros -= 1_000_000
        }
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
        }
        return "\(pad(Int(parts.tm_year) + 1900, 4))-\(pad(Int(parts.tm_mon) + 1, 2))-\(pad(Int(parts.tm_mday), 2))"
            + "T\(pad(Int(parts.tm_hour), 2)):\(pad(Int(parts.tm_min), 2)):\(pad(Int(parts.tm_sec), 2))"
            + ".\(pad(micros, 6))Z"
    }

    /// Parses the server's text (`YYYY-MM-DD HH:MM:SS[.ffffff]+HH[:MM[:SS]]`) or `YYYY-MM-DD`.
    static func parse(_ text: String) -> Date? {
        ISO8601Text.date(from: text)
    }
}
