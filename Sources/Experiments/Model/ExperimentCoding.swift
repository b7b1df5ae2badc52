import Foundation

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
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
