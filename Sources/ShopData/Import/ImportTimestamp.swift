import Foundation

/// Event times in import files: ISO-8601 (`2011-08-31T12:00:00`, `2011-08-31 12:00:00.5+01:00`,
/// `…Z`, or a date alone) or Unix epoch seconds (milliseconds when larger than 10¹¹).
/// Times without a zone are taken as UTC (Online Retail II gives UK local time with no zone).
public enum ImportTimestamp {
    public static func parse(_ text: String) -> Date? {
        guard let first = text.utf8.first else { return nil }
        if let epoch = Double(text), first != 0x2b {
            // Four-digit years alone ("2011") are not epochs: require more digits than a year.
            guard epoch.isFinite, text.utf8.count > 4 else { return nil }
            return Date(timeIntervalSince1970: abs(epoch) > 1e11 ? epoch / 1000 : epoch)
        }
        return parseISO(text)
    }

    /// `YYYY-MM-DD[(T| )HH:MM[:SS[.fff…]]][Z|±HH[:]MM]`.
    static func parseISO(_ text: String) -> Date? {
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
                _ = take(0x3a)
                let zoneMinutes = index < bytes.count ? digits(2) : 0
                guard let zoneMinutes else { return nil }
                offset = sign * (zoneHours * 3600 + zoneMinutes * 60)
            }
        }
        guard index == bytes.count else { return nil }
        guard (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else { return nil }
        // Reject days that do not exist in the month (Feb 30).
        let daysInMonth = [31, (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard day <= daysInMonth[month - 1] else { return nil }
        // Days from the civil date (Howard Hinnant's algorithm), no calendar objects.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }
}
