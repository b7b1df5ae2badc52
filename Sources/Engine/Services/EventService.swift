import Domain
import Foundation
import Logging
import Storage

/// `POST /v1/events`: durable first, then visible.
///
/// 1. The batch is written to PostgreSQL in one transaction (idempotent by event key). If
///    PostgreSQL is down the API answers 503 and nothing was accepted — so nothing accepted is lost.
/// 2. Then this replica's in-memory indexes (user vectors, co-purchase) and Redis (history, cart,
///    purchases, popularity) are updated, and the events are published on the Redis stream that
///    the other replicas tail. Both take milliseconds, well inside the 1-second freshness target.
public final class EventService: Sendable {
    let replica: ReplicaState

    package init(replica: ReplicaState) {
        self.replica = replica
    }

    /// - Returns: how many events were accepted (duplicates of an earlier `event_id` count as accepted).
    public func ingest(_ events: [Interaction], idempotencyKeys: [String?]) async throws -> Int {
        let keys = idempotencyKeys.map { $0.map(Interaction.eventKey(clientEventID:)) ?? "srv:" + UUID().uuidString }
        let inserted: [Bool]
        do {
            inserted = try await replica.interactions.insert(events, keys: keys)
        } catch let error as PostgresError where error.isRetryable || error.code == .poolClosed {
            replica.metrics.increment("hybridrank_events_rejected_total", labels: ["reason": "postgres_unavailable"], by: Double(events.count))
            throw ServiceError.unavailable("PostgreSQL")
        }
        for (type, count) in Dictionary(grouping: events, by: \.type).mapValues(\.count) {
            replica.metrics.increment("hybridrank_events_total", labels: ["type": type.rawValue], by: Double(count))
        }
        // Only genuinely new events change derived state (a retried batch must not double-count),
        // and only those that say something about the shopper: impressions are stored for the
        // experiment tables and go nowhere else.
        let fresh = zip(events, inserted).filter { $0.1 && $0.0.type.isShopperSignal }.map(\.0)
        guard !fresh.isEmpty else { return events.count }
        replica.indexes.apply(fresh)
        let hot = await replica.shoppers.record(fresh, categoryOf: { self.replica.catalog.product($0)?.category })
        if !hot { replica.metrics.increment("hybridrank_redis_errors_total", labels: ["operation": "record_events"]) }
        await replica.stream.publish(fresh)
        return events.count
    }
}
