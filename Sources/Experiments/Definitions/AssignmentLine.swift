import Foundation

/// One line of `hybridrank experiments assign`: a JSON object in, a JSON object out, so any tool
/// (or another GrowthBook SDK) can check assignments against this implementation.
///
/// Input: `{"id", "seed", "hashVersion", "numVariations", "coverage"?, "weights"?, "namespace"?: [name, start, end]}`
/// (`hashVersion` defaults to 1 as in GrowthBook, `coverage` to 1).
/// Output: `{"variation": i or -1, "inExperiment": bool, "inNamespace": bool, "bucket": n}` where
/// `bucket` is the unit's hash value `n` in [0, 1) that the variation was chosen from (`null`
/// when the hash version is unsupported or the namespace check already excluded the unit).
/// A line that is not such an object gives `{"error": "invalid input line"}`.
public enum AssignmentLine {
    public struct Input: Sendable, Hashable, Codable {
        public var id: String
        public var seed: String
        public var hashVersion: Int?
        public var numVariations: Int
        public var coverage: Double?
        public var weights: [Double]?
        public var namespace: NamespaceRange?

        public var configuration: ExperimentAssigner.Configuration {
            ExperimentAssigner.Configuration(
                seed: seed, hashVersion: hashVersion ?? 1, numVariations: numVariations,
                coverage: coverage ?? 1, weights: weights, namespace: namespace)
        }
    }

    /// The output line for one input line (no trailing newline).
    public static func process(_ line: String) -> String {
        guard let input = try? JSONDecoder().decode(Input.self, from: Data(line.utf8)) else {
            return #"{"error":"invalid input line"}"#
        }
        return render(ExperimentAssigner.assign(unitID: input.id, configuration: input.configuration))
    }

    /// One user id (a plain line, or `{"id": …}`) assigned for `experiment` exactly as the
    /// service assigns it: `{"id", "variant": key or null, "variation", "inExperiment"}`.
    public static func process(userLine line: String, experiment: Experiment) -> String {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        let id: String
        if trimmed.hasPrefix("{") {
            struct UserLine: Decodable { var id: String }
            guard let decoded = try? JSONDecoder().decode(UserLine.self, from: Data(trimmed.utf8)) else {
                return #"{"error":"invalid input line"}"#
            }
            id = decoded.id
        } else {
            id = trimmed
        }
        guard !id.isEmpty else { return #"{"error":"empty user id"}"# }
        let assignment = ExperimentAssigner.assign(unitID: id, experiment: experiment)
        let variant = assignment.inExperiment && experiment.variants.indices.contains(assignment.variation)
            ? experiment.variants[assignment.variation].key : nil
        let encodedID = (try? JSONEncoder().encode(id)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
        let encodedVariant = variant.flatMap { try? JSONEncoder().encode($0) }.map { String(decoding: $0, as: UTF8.self) } ?? "null"
        return #"{"id":\#(encodedID),"variant":\#(encodedVariant),"variation":\#(assignment.variation),"inExperiment":\#(assignment.inExperiment)}"#
    }

    /// `assignment` as one compact JSON object with keys in a fixed order.
    public static func render(_ assignment: Assignment) -> String {
        let bucket = assignment.bucket.map { formatNumber($0) } ?? "null"
        return #"{"variation":\#(assignment.variation),"inExperiment":\#(assignment.inExperiment),"#
            + #""inNamespace":\#(assignment.inNamespace),"bucket":\#(bucket)}"#
    }

    /// Shortest round-tripping decimal, with integral values written without a fraction (`0`, not `0.0`).
    static func formatNumber(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return "\(value)"
    }
}
