import Foundation
import Yams

/// Experiment definitions kept in version control and loaded with `hybridrank experiments apply FILE`.
///
/// Accepted shapes, in YAML or JSON (same snake_case keys as the HTTP API, dates in ISO 8601):
/// a single experiment object, a list of them, or `{"experiments": [...]}`.
public struct ExperimentDefinitionFile: Sendable {
    public var experiments: [Experiment]

    public init(experiments: [Experiment]) {
        self.experiments = experiments
    }

    /// Why a file could not be read. The description names the format, never file content.
    public struct ParseError: Error, Sendable, CustomStringConvertible {
        public var format: String
        /// The decoder's explanation (may quote the file; use only where the file's author reads it).
        public var detail: String
        public var description: String { "cannot parse the \(format) experiment definitions" }
    }

    /// The file's format, chosen by extension (`.json`; `.yaml`/`.yml`) or, for other names, by
    /// whether the text starts with `{` or `[`.
    public enum Format: String, Sendable {
        case json
        case yaml

        public static func detect(path: String, text: String) -> Format {
            let lower = path.lowercased()
            if lower.hasSuffix(".json") { return .json }
            if lower.hasSuffix(".yaml") || lower.hasSuffix(".yml") { return .yaml }
            let first = text.first { !$0.isWhitespace }
            return first == "{" || first == "[" ? .json : .yaml
        }
    }

    /// Parses `text` in `format`.
    public static func parse(_ text: String, format: Format) throws -> ExperimentDefinitionFile {
        // The file may hold a list, `{experiments: [...]}` or one experiment; each shape is tried
        // in turn, and an unknown or invalid key found in any of them (`StrictKeys`) is what gets
        // reported, since it names the field the author has to fix.
        var fieldError: FieldError?
        var lastError: (any Error)?
        func attempt<T>(_ decode: () throws -> T) -> T? {
            do { return try decode() } catch {
                if let found = StrictKeys.fieldError(in: error) {
                    if fieldError == nil { fieldError = found }
                } else {
                    lastError = error
                }
            }
            return nil
        }
        switch format {
        case .json:
            let decoder = ExperimentCoding.makeDecoder()
            let data = Data(text.utf8)
            if let list = attempt({ try decoder.decode([Experiment].self, from: data) }) { return .init(experiments: list) }
            if let wrapped = attempt({ try decoder.decode(Wrapper.self, from: data) }) { return .init(experiments: wrapped.experiments) }
            if let one = attempt({ try decoder.decode(Experiment.self, from: data) }) { return .init(experiments: [one]) }
        case .yaml:
            let decoder = YAMLDecoder()
            if let list = attempt({ try decoder.decode([Experiment].self, from: text) }) { return .init(experiments: list) }
            if let wrapped = attempt({ try decoder.decode(Wrapper.self, from: text) }) { return .init(experiments: wrapped.experiments) }
            if let one = attempt({ try decoder.decode(Experiment.self, from: text) }) { return .init(experiments: [one]) }
        }
        if let fieldError { throw ParseError(format: format.rawValue, detail: fieldError.description) }
        throw ParseError(format: format.rawValue, detail: lastError.map { String(describing: $0) } ?? "unreadable")
    }

    /// Reads and parses the file at `path`.
    public static func load(path: String) throws -> ExperimentDefinitionFile {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return try parse(text, format: .detect(path: path, text: text))
    }

    /// Every problem in the file: each definition's own (fields prefixed `experiments[i].`),
    /// duplicate keys, and running-experiment conflicts among the file's and `stored` experiments
    /// (the file's version of a key replaces the stored one).
    public func validate(with validator: ExperimentValidator = ExperimentValidator(), stored: [Experiment] = []) -> [FieldError] {
        var errors: [FieldError] = []
        let fileKeys = Set(experiments.map(\.key))
        let others = stored.filter { !fileKeys.contains($0.key) } + experiments
        var seen: Set<String> = []
        for (index, experiment) in experiments.enumerated() {
            let prefix = "experiments[\(index)]."
            if !seen.insert(experiment.key).inserted {
                errors.append(FieldError(field: prefix + "key", message: "appears more than once in the file"))
            }
            var found = validator.validate(experiment, among: others)
            if let previous = stored.first(where: { $0.key == experiment.key }) {
                found = validator.validateUpdate(from: previous, to: experiment, among: others)
            }
            errors += found.map { FieldError(field: prefix + $0.field, message: $0.message) }
        }
        return errors
    }

    private struct Wrapper: Decodable {
        var experiments: [Experiment]
    }
}
