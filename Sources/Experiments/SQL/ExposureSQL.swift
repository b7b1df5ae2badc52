import Domain
import Foundation
import Support

/// Writing exposures (migrations/0100_experiments.sql, `exposures`) in batches: one statement
/// with one `jsonb` parameter for the whole batch, so the writer does one round trip per flush.
public enum ExposureSQL {
    /// Inserts a batch; a repeated request id is ignored (a retried flush is harmless).
    /// `$1` a JSON array of `ExposureRecord`. Returns the rows inserted.
    public static let insertBatch = """
        INSERT INTO exposures (request_id, user_id, widget, experiment_key, variant_key, items, latency_ms, created_at)
        SELECT r.request_id, r.user_id, r.widget, r.experiment_key, r.variant_key,
               coalesce(r.items, '{}'), r.latency_ms, r.created_at
        FROM jsonb_to_recordset($1::jsonb) AS r(
            request_id text, user_id text, widget text, experiment_key text, variant_key text,
            items text[], latency_ms double precision, created_at timestamptz)
        ON CONFLICT (request_id) DO NOTHING
        """

    /// The `$1` parameter of `insertBatch`: the records as `ExperimentCoding`'s encoder writes
    /// them (sorted keys, whole-second ISO 8601 times, absent optionals left out), written with
    /// `JSONByteWriter` as the widget responses are: every widget response queues one, and
    /// `JSONEncoder`'s generic containers made encoding the batches a visible share of a cached
    /// product page's CPU (docs/benchmarks/service.md).
    public static func batchParameter(_ records: [ExposureRecord]) -> String {
        var json = JSONByteWriter(capacity: 64 + records.count * 200)
        json.beginArray()
        for record in records {
            json.beginObject()
            json.field("created_at", record.createdAt)
            if let experimentKey = record.experimentKey { json.field("experiment_key", experimentKey) }
            json.field("items", record.items)
            if let latency = record.latencyMilliseconds, latency.isFinite { json.field("latency_ms", latency) }
            json.field("request_id", record.requestID)
            if let userID = record.userID { json.field("user_id", userID) }
            if let variantKey = record.variantKey { json.field("variant_key", variantKey) }
            json.field("widget", record.widget)
            json.endObject()
        }
        json.endArray()
        return json.string
    }
}

/// One recommendation response as recorded for attribution and results.
public struct ExposureRecord: Sendable, Hashable, Codable {
    public var requestID: String
    public var userID: String?
    public var widget: String
    public var experimentKey: String?
    public var variantKey: String?
    /// Product ids in the order shown.
    public var items: [String]
    public var latencyMilliseconds: Double?
    public var createdAt: Date

    public init(
        requestID: String, userID: String?, widget: String, experimentKey: String?, variantKey: String?,
        items: [String], latencyMilliseconds: Double?, createdAt: Date
    ) {
        self.requestID = requestID
        self.userID = userID
        self.widget = widget
        self.experimentKey = experimentKey
        self.variantKey = variantKey
        self.items = items
        self.latencyMilliseconds = latencyMilliseconds
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case requestID = "request_id"
        case userID = "user_id"
        case widget
        case experimentKey = "experiment_key"
        case variantKey = "variant_key"
        case items
        case latencyMilliseconds = "latency_ms"
        case createdAt = "created_at"
    }
}
