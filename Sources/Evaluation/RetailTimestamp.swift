import Foundation

/// Parses the data set's `YYYY-MM-DDTHH:MM:SS` (or a bare `YYYY-MM-DD`) local timestamps as UTC,
/// consistently for history, splits and queries; no `DateFormatter` (600k rows).
public enum RetailTimestamp {
    public static func parse(_ text: String) -> Date? {
        let b = Array(text.utf8)
        guard b.count >= 10 else { return nil }
        func number(_ from: Int, _ length: Int) -> Int? {
            var value = 0
            for k in from..<(from + length) {
                guard k < b.count, b[k] >= 48, b[k] <= 57 else { return nil }
                value = value * 10 + Int(b[k] - 48)
            }
            return value
        }
        guard let year = number(0, 4), let month = number(5, 2), let day = number(8, 2) else { return nil }
        var seconds = 0
        if b.count >= 19, let h = number(11, 2), let m = number(14, 2), let s = number(17, 2) {
            seconds = h * 3600 + m * 60 + s
        }
        // Days from civil (Howard Hinnant's algorithm).
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        return Date(timeIntervalSince1970: TimeInterval(days * 86_400 + seconds))
    }
}
