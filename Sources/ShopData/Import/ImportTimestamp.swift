import Foundation
import Support

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
        return ISO8601Text.date(from: text)
    }

}
