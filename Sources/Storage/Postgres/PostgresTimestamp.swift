import Foundation

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

    /// Parses `YYYY-MM-DD[ T]HH:MM:SS[.ffffff][+HH[:MM]|Z]` or `YYYY-MM-DD`; no zone means UTC.
    static func parse(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        var index = 0
        func number(_ width: Int) -> Int? {
            guard index + width <= bytes.count else { return nil }
            var value = 0
            for offset in 0..<width {
                let c = bytes[index + offset]
                guard c >= 48, c <= 57 else { return nil }
                value = value * 10 + Int(c - 48)
            }
            index += width
            return value
        }
        func expect(_ c: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == c else { return false }
            index += 1
            return true
        }
        guard let year = number(4), expect(UInt8(ascii: "-")), let month = number(2),
            expect(UInt8(ascii: "-")), let day = number(2)
        else { return nil }
        var hour = 0
        var minute = 0
        var second = 0
        var fraction = 0.0
        var offsetSeconds = 0
        if index < bytes.count {
            guard expect(UInt8(ascii: " ")) || expect(UInt8(ascii: "T")) else { return nil }
            guard let h = number(2), expect(UInt8(ascii: ":")), let m = number(2), expect(UInt8(ascii: ":")),
                let s = number(2)
            else { return nil }
            hour = h
            minute = m
            second = s
            if expect(UInt8(ascii: ".")) {
                var scale = 0.1
                while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                    fraction += Double(bytes[index] - 48) * scale
                    scale /= 10
                    index += 1
                }
            }
            if index < bytes.count {
                if expect(UInt8(ascii: "Z")) {
                    // UTC
                } else {
                    let sign: Int
                    if expect(UInt8(ascii: "+")) {
                        sign = 1
                    } else if expect(UInt8(ascii: "-")) {
                        sign = -1
                    } else {
                        return nil
                    }
                    guard let zoneHours = number(2) else { return nil }
                    var zoneMinutes = 0
                    if expect(UInt8(ascii: ":")) {
                        guard let zm = number(2) else { return nil }
                        zoneMinutes = zm
                    } else if let zm = number(2) {
                        zoneMinutes = zm
                    }
                    if expect(UInt8(ascii: ":")) { _ = number(2) }  // seconds in historic offsets
                    offsetSeconds = sign * (zoneHours * 3600 + zoneMinutes * 60)
                }
            }
            guard index == bytes.count else { return nil }
        }
        guard (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else {
            return nil
        }
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(hour)
        parts.tm_min = Int32(minute)
        parts.tm_sec = Int32(second)
        let epoch = timegm(&parts)
        return Date(timeIntervalSince1970: Double(epoch - offsetSeconds) + fraction)
    }
}
