import Domain
import Foundation
import Storage

/// SQL for the `interactions` table: the durable log every other state is derived from.
public struct InteractionRepository: Sendable {
    let postgres: PostgresClient

    public init(postgres: PostgresClient) {
        self.postgres = postgres
    }

    /// Stores events in one transaction before the API answers 2xx. `keys` are idempotency keys
    /// (a client's `event_id`, or a generated one): a retried event is stored once.
    /// - Returns: for each event, whether it was new (false: a retry of a stored event).
    public func insert(_ events: [Interaction], keys: [String]) async throws -> [Bool] {
        precondition(events.count == keys.count)
        return try await postgres.withTransaction { connection in
            var inserted: [Bool] = []
            inserted.reserveCapacity(events.count)
            for (event, key) in zip(events, keys) {
                let count = try connection.execute(
                    """
                    INSERT INTO interactions (event_key, user_id, product_id, type, quantity, value, request_id, basket_id, occurred_at)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                    ON CONFLICT (event_key) DO NOTHING
                    """,
                    [
                        key, event.userID, event.productID, event.type.rawValue, event.quantity, event.value,
                        event.requestID, event.basketID, event.occurredAt,
                    ])
                inserted.append(count > 0)
            }
            return inserted
        }
    }

    /// A user's most recent events, newest first (the fallback when Redis has nothing); impressions
    /// are not part of a shopper's history (`InteractionType.isShopperSignal`).
    public func recent(user: UserID, limit: Int) async throws -> [Interaction] {
        try await postgres.query(
            """
            SELECT user_id, product_id, type, quantity, value, request_id, basket_id, occurred_at
            FROM interactions WHERE user_id = $1 AND type <> 'recommendation_impression'
            ORDER BY occurred_at DESC LIMIT $2
            """, [user, limit]
        ).map(Self.decode)
    }

    /// Everything the user ever bought.
    public func purchased(user: UserID) async throws -> Set<ProductID> {
        let rows = try await postgres.query(
            "SELECT DISTINCT product_id FROM interactions WHERE user_id = $1 AND type = 'purchase'", [user])
        return Set(try rows.map { try $0.string("product_id") })
    }

    /// Streams the whole log in id order in pages (index rebuilds at start), impressions left out
    /// as everywhere the indexes are fed.
    public func forEachPage(pageSize: Int = 50_000, _ body: ([Interaction]) throws -> Void) async throws {
        var lastID: Int64 = 0
        while true {
            let rows = try await postgres.query(
                """
                SELECT id, user_id, product_id, type, quantity, value, request_id, basket_id, occurred_at
                FROM interactions WHERE id > $1 AND type <> 'recommendation_impression' ORDER BY id LIMIT $2
                """, [lastID, pageSize])
            if rows.isEmpty { return }
            lastID = Int64(try rows[rows.count - 1].int("id"))
            try body(try rows.map(Self.decode))
            if rows.count < pageSize { return }
        }
    }

    static func decode(_ row: PostgresRow) throws -> Interaction {
        guard let type = InteractionType(rawValue: try row.string("type")) else {
            throw PostgresError(code: .decoding)
        }
        return Interaction(
            userID: try row.string("user_id"), productID: try row.string("product_id"), type: type,
            quantity: try row.optionalInt("quantity") ?? 1, value: try row.optionalDouble("value") ?? 0,
            requestID: try row.optionalString("request_id"), basketID: try row.optionalString("basket_id"),
            occurredAt: try row.date("occurred_at"))
    }
}
