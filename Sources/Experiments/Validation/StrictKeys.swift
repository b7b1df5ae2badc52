/// Rejects object keys a document type does not know, so a typo (`"alfa": 0.3`) is a 400
/// naming the key instead of a silently ignored override — an experiment whose treatment
/// changes nothing is an A/A test nobody asked for.
///
/// Used from the `init(from:)` of every strict type (variant parameters, variants, experiments,
/// widget settings), so the API, `experiments apply` (YAML or JSON) and `replay` all refuse the
/// same documents. The thrown `FieldError` names the full path (`variants[1].parameters.alfa`)
/// and suggests the nearest known key.
public enum StrictKeys {
    /// Set to `true` in a decoder's `userInfo` to accept unknown keys: documents the service
    /// stored itself are read that way, so a replica one version behind still loads definitions
    /// written by a newer one (rolling upgrades), while every author-facing surface stays strict.
    public static let lenientUserInfoKey = CodingUserInfoKey(rawValue: "hybridrank.lenientKeys")!

    /// Throws a `FieldError` for the first key of `decoder`'s object that is not in `known`
    /// (in the document's order where the decoder keeps it). Does nothing for a non-object.
    public static func check(_ decoder: any Decoder, known: [String]) throws {
        if decoder.userInfo[lenientUserInfoKey] as? Bool == true { return }
        guard let container = try? decoder.container(keyedBy: AnyKey.self) else { return }
        let allowed = Set(known)
        for key in container.allKeys where !allowed.contains(key.stringValue) {
            let path = FieldPath.string(decoder.codingPath + [key])
            var message = "is not a known key"
            if let hint = nearest(to: key.stringValue, in: known) {
                message += "; did you mean '\(hint)'?"
            }
            throw FieldError(field: path, message: message)
        }
    }

    /// `decoder`'s keyed container, after `check` with every case of `Key` as the known keys: how
    /// each strict `init(from:)` begins.
    public static func container<Key: CodingKey & CaseIterable>(
        _ decoder: any Decoder, keyedBy type: Key.Type
    ) throws -> KeyedDecodingContainer<Key> {
        try check(decoder, known: Key.allCases.map(\.stringValue))
        return try decoder.container(keyedBy: type)
    }

    /// The `FieldError` behind `error`: itself, or one a decoder wrapped as the underlying error
    /// of a `DecodingError` (Yams does; Foundation's JSONDecoder passes it through).
    public static func fieldError(in error: any Error) -> FieldError? {
        var current: (any Error)? = error
        for _ in 0..<8 {
            guard let error = current else { return nil }
            if let fieldError = error as? FieldError { return fieldError }
            switch error as? DecodingError {
            case .dataCorrupted(let context), .keyNotFound(_, let context), .typeMismatch(_, let context),
                .valueNotFound(_, let context):
                current = context.underlyingError
            default:
                return nil
            }
        }
        return nil
    }

    /// The known key closest to `key` by edit distance, when it is close enough to be a typo
    /// (2 edits, or a third of the longer name when that is more, at most 3).
    public static func nearest(to key: String, in known: [String]) -> String? {
        let lowered = key.lowercased()
        var best: (key: String, distance: Int)?
        for candidate in known {
            let distance = editDistance(Array(lowered.utf8), Array(candidate.utf8))
            if best == nil || distance < best!.distance { best = (candidate, distance) }
        }
        guard let best else { return nil }
        let limit = min(3, max(2, max(key.utf8.count, best.key.utf8.count) / 3))
        return best.distance <= limit ? best.key : nil
    }

    /// Levenshtein distance over bytes (keys are ASCII snake_case); O(|a|·|b|) time, O(|b|) space.
    static func editDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = Array(repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(substitution, previous[j] + 1, current[j - 1] + 1)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }

    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int?
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) {
            self.stringValue = String(intValue)
            self.intValue = intValue
        }
    }
}

/// Spells a coding path the way the API names fields: `variants[1].parameters.alpha`.
public enum FieldPath {
    public static func string(_ codingPath: [any CodingKey]) -> String {
        var result = ""
        for key in codingPath {
            if let index = key.intValue {
                result += "[\(index)]"
            } else {
                result += result.isEmpty ? key.stringValue : "." + key.stringValue
            }
        }
        return result.isEmpty ? "body" : result
    }
}
