import Domain
import Foundation
import Logging
import ServiceLifecycle
import Storage

/// Keeps replicas' in-memory indexes in step: every replica publishes the events it accepted on
/// the Redis stream `hr:events`, and tails that stream to apply the events *other* replicas
/// accepted. (Hot per-user state and popularity already live in Redis; this covers the
/// co-purchase and similar-user indexes, which live in memory for speed.)
///
/// Publishing is best effort: PostgreSQL holds every accepted event, and a replica that missed
/// entries (Redis down, stream trimmed) rebuilds from PostgreSQL at its next start.
package final class EventStreamTail: Service, Sendable {
    let redis: RedisClient
    /// A client of its own for the blocking read, so it never holds one of the request path's connections.
    let tailRedis: RedisClient
    let indexes: LiveIndexes
    /// Raised when another replica published a catalog write (`publishCatalogChange`).
    let catalogChanges: CatalogChangeNotice
    let replicaID: String
    let logger: Logger
    /// The stream is trimmed to about this many entries (a few minutes of peak traffic).
    static let maxLength = 100_000

    package init(redis: RedisClient, tailRedis: RedisClient, indexes: LiveIndexes, catalogChanges: CatalogChangeNotice, logger: Logger) {
        self.redis = redis
        self.tailRedis = tailRedis
        self.indexes = indexes
        self.catalogChanges = catalogChanges
        self.replicaID = UUID().uuidString
        self.logger = logger
    }

    /// Publishes accepted events for the other replicas.
    func publish(_ events: [Interaction]) async {
        guard !events.isEmpty else { return }
        let payload = events.map { "\($0.userID)\u{1F}\(EncodedEvent.encode($0))\u{1F}\($0.basketID ?? "")" }
            .joined(separator: "\u{1E}")
        _ = try? await redis.xadd(
            RedisKeys.eventStream, fields: [("replica", replicaID), ("events", payload)], maxLength: Self.maxLength)
    }

    /// Tells the other replicas that the catalog changed (after the write is in PostgreSQL): their
    /// reconcilers read it at once rather than at their next interval. Best effort, like events.
    func publishCatalogChange() async {
        _ = try? await redis.xadd(
            RedisKeys.eventStream, fields: [("replica", replicaID), ("catalog", "changed")], maxLength: Self.maxLength)
    }

    package func run() async throws {
        var lastID = "$"
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                let reply = try await tailRedis.blockingCommand(
                    ["XREAD", "COUNT", "100", "BLOCK", "1000", "STREAMS", RedisKeys.eventStream, lastID], blockSeconds: 1)
                for entry in Self.entries(from: reply) {
                    lastID = entry.id
                    guard entry.fields["replica"] != replicaID else { continue }
                    if entry.fields["catalog"] != nil { catalogChanges.signal() }
                    guard let payload = entry.fields["events"] else { continue }
                    indexes.apply(Self.decode(payload))
                }
                if lastID == "$" {
                    // Pin the position so entries between two reads are not skipped.
                    if let last = try? await redis.command(["XREVRANGE", RedisKeys.eventStream, "+", "-", "COUNT", "1"]),
                        let id = last.array?.first?.array?.first?.string
                    {
                        lastID = id
                    } else {
                        lastID = "0-0"
                    }
                }
            } catch {
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(1)) }
            }
        }
    }

    static func entries(from reply: RedisReply) -> [RedisStreamEntry] {
        // XREAD → [[stream, [[id, [field, value, …]], …]]]
        guard let streams = reply.array else { return [] }
        var entries: [RedisStreamEntry] = []
        for stream in streams {
            guard let items = stream.array?.dropFirst().first?.array else { continue }
            for item in items {
                guard let parts = item.array, parts.count == 2, let id = parts[0].string,
                    let flat = parts[1].array?.compactMap(\.string)
                else { continue }
                var fields: [String: String] = [:]
                var index = 0
                while index + 1 < flat.count {
                    fields[flat[index]] = flat[index + 1]
                    index += 2
                }
                entries.append(RedisStreamEntry(id: id, fields: fields))
            }
        }
        return entries
    }

    static func decode(_ payload: String) -> [Interaction] {
        payload.split(separator: "\u{1E}").compactMap { record in
            let parts = record.split(separator: "\u{1F}", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3, var event = EncodedEvent.decode(String(parts[1]), user: String(parts[0])) else {
                return nil
            }
            event.basketID = parts[2].isEmpty ? nil : String(parts[2])
            return event
        }
    }
}
