import Foundation

/// Statements on the `experiments` table (migrations/0100_experiments.sql), with `$n`
/// parameters for the Storage client. The whole definition is kept as `jsonb` (encoded with
/// `ExperimentCoding`), with `status` copied into a column for filtering.
public enum ExperimentSQL {
    /// All definitions as JSON text, by key. Columns: `definition`.
    public static let selectAll = "SELECT definition::text AS definition FROM experiments ORDER BY key"

    /// One definition. `$1` key. Columns: `definition`.
    public static let selectOne = "SELECT definition::text AS definition FROM experiments WHERE key = $1"

    /// Running definitions (the router's periodic refresh). Columns: `definition`.
    public static let selectRunning =
        "SELECT definition::text AS definition FROM experiments WHERE status = 'running' ORDER BY key"

    /// Insert or replace. `$1` key, `$2` definition JSON text, `$3` status.
    public static let upsert = """
        INSERT INTO experiments (key, definition, status) VALUES ($1, $2::jsonb, $3)
        ON CONFLICT (key) DO UPDATE
        SET definition = EXCLUDED.definition, status = EXCLUDED.status, updated_at = now()
        """

    /// The parameters of `upsert` for `experiment`.
    public static func upsertParameters(_ experiment: Experiment) throws -> (key: String, definition: String, status: String) {
        let data = try ExperimentCoding.makeEncoder().encode(experiment)
        return (experiment.key, String(decoding: data, as: UTF8.self), experiment.status.rawValue)
    }

    /// Decodes a `definition` column value, leniently (`StrictKeys.lenientUserInfoKey`): the
    /// service wrote it, possibly a newer version of it.
    public static func decodeDefinition(_ json: String) throws -> Experiment {
        let decoder = ExperimentCoding.makeDecoder()
        decoder.userInfo[StrictKeys.lenientUserInfoKey] = true
        return try decoder.decode(Experiment.self, from: Data(json.utf8))
    }

    /// A named view of one experiment's daily performance, `experiment_performance__<key>` with
    /// `.`/`-` replaced by `_`, for analysts who like one view per experiment. Only for keys that
    /// pass `ExperimentValidator.isValidKey` (they cannot contain quotes), else `nil`.
    public static func createPerExperimentView(key: String) -> String? {
        guard ExperimentValidator.isValidKey(key) else { return nil }
        let suffix = String(key.map { $0 == "." || $0 == "-" ? "_" : $0 }).lowercased()
        return """
            CREATE OR REPLACE VIEW "experiment_performance__\(suffix)" AS
            SELECT * FROM experiment_performance WHERE experiment_key = '\(key)'
            """
    }
}
