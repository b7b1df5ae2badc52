import Foundation
import Support

/// The JSON encoder and decoder every experiment surface uses (HTTP, files, the database's
/// `definition jsonb`), so dates are ISO 8601 everywhere and output is stable.
public enum ExperimentCoding {
    public static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }

    public static func makeDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        // The API's reading of a date-time (`ISO8601Text.dateTime`), which refuses days that do not
        // exist; `.iso8601` rolled Feb 30 over to Mar 1.
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            guard let date = ISO8601Text.dateTime(from: try container.decode(String.self)) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected an ISO-8601 date-time")
            }
            return date
        }
        return decoder
    }
}
