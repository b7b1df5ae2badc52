import Candidates
import Domain
import Foundation
import Logging
import Ranking
import Storage

/// What the service knows about a shopper at request time: as much as the request's
/// `ShopperStateNeeds` asked for (parts it did not ask for stay empty).
public struct ShopperState: Sendable {
    /// Recent events, newest first: the last 200, or only the newest that fix the rerank query.
    public var history: [Interaction] = []
    public var purchased: Set<ProductID> = []
    /// Cart items, oldest first.
    public var cart: [ProductID] = []
    public var redisUnavailable = false
    public var postgresUnavailable = false
}

/// Hot per-user state in Redis, shared by every replica: recent events (a capped list), the set
/// of purchased products and the cart (a sorted set by time added). PostgreSQL is the fallback
/// and the source of truth: a user Redis has never seen is loaded from it and written back.
public final class ShopperStateStore: Sendable {
    let redis: RedisClient
    let interactions: InteractionRepository
    let logger: Logger

    package init(redis: RedisClient, interactions: InteractionRepository, logger: Logger) {
        self.redis = redis
        self.interactions = interactions
        self.logger = logger
    }

    /// The shopper's state, as much of it as `needs` says (a shopper Redis does not know is
    /// loaded whole from PostgreSQL). One Redis round trip, two when the newest events read first
    /// leave the rerank query open; the second reads the whole history again (not just the rest),
    /// so an event pushed between the two cannot shift it.
    public func state(for user: UserID?, needs: ShopperStateNeeds = .everything) async -> ShopperState {
        guard let user else { return ShopperState() }
        var state = ShopperState()
        do {
            let historyKey = RedisKeys.history(user)
            let firstRead: Int
            switch needs.history {
            case .none: firstRead = 0
            case .whole: firstRead = RedisKeys.historyLength
            case .newest(let first, _): firstRead = min(first, RedisKeys.historyLength)
            }
            // LLEN says both whether Redis knows the shopper and whether the first read was whole.
            var commands: [[String]] = [["LLEN", historyKey], ["EXISTS", RedisKeys.noHistory(user)]]
            if firstRead > 0 { commands.append(["LRANGE", historyKey, "0", String(firstRead - 1)]) }
            if needs.purchased { commands.append(["SMEMBERS", RedisKeys.purchased(user)]) }
            if needs.cart { commands.append(["ZRANGE", RedisKeys.cart(user), "0", "-1"]) }
            let replies = try await redis.pipeline(commands)
            let length = replies[0].int ?? 0
            if length > 0 {
                var next = 2
                if firstRead > 0 {
                    state.history = Self.decode(replies[next], user: user)
                    next += 1
                }
                if needs.purchased {
                    state.purchased = Set((replies[next].array ?? []).compactMap(\.string))
                    next += 1
                }
                if needs.cart { state.cart = (replies[next].array ?? []).compactMap(\.string) }
                if case .newest(_, let isDecided) = needs.history, length > firstRead, !isDecided(state.history) {
                    let whole = try await redis.command(["LRANGE", historyKey, "0", String(RedisKeys.historyLength - 1)])
                    state.history = Self.decode(whole, user: user)
                }
                return state
            }
            // PostgreSQL said "no events" moments ago: a shopper with no history yet costs no
            // PostgreSQL round trips on every widget request (the marker goes with their first event).
            if (replies[1].int ?? 0) > 0 { return state }
        } catch {
            state.redisUnavailable = true
            logger.debug("redis unavailable for shopper state", metadata: ["error": "\(error)"])
        }
        // Cold in Redis (new replica, evicted, or Redis down): PostgreSQL has the truth.
        do {
            state.history = try await interactions.recent(user: user, limit: RedisKeys.historyLength)
            state.purchased = try await interactions.purchased(user: user)
            state.cart = Self.cart(from: state.history)
            if !state.redisUnavailable {
                if state.history.isEmpty {
                    _ = try? await redis.command(["SET", RedisKeys.noHistory(user), "1", "EX", String(RedisKeys.noHistoryTTLSeconds)])
                } else {
                    try? await warm(user: user, state: state)
                }
            }
        } catch {
            state.postgresUnavailable = true
        }
        return state
    }

    private static func decode(_ reply: RedisReply, user: UserID) -> [Interaction] {
        (reply.array ?? []).compactMap(\.bytes).compactMap { EncodedEvent.decode($0, user: user) }
    }

    /// The cart implied by a user's events: added and neither removed nor bought since.
    static func cart(from historyNewestFirst: [Interaction]) -> [ProductID] {
        var decided = Set<ProductID>()
        var cart: [ProductID] = []
        for event in historyNewestFirst {
            guard !decided.contains(event.productID) else { continue }
            switch event.type {
            case .cartAdd:
                decided.insert(event.productID)
                cart.append(event.productID)
            case .cartRemove, .purchase:
                decided.insert(event.productID)
            default:
                continue
            }
        }
        return cart.reversed()
    }

    private func warm(user: UserID, state: ShopperState) async throws {
        var commands: [[String]] = [["DEL", RedisKeys.history(user), RedisKeys.cart(user)]]
        commands.append(["RPUSH", RedisKeys.history(user)] + state.history.map(EncodedEvent.encode))
        if !state.purchased.isEmpty { commands.append(["SADD", RedisKeys.purchased(user)] + Array(state.purchased)) }
        for (index, item) in state.cart.enumerated() {
            commands.append(["ZADD", RedisKeys.cart(user), String(index), item])
        }
        commands += Self.renewals(for: user)
        _ = try await redis.pipeline(commands)
    }

    /// `EXPIRE` of all three of a shopper's keys: they are written and renewed together, so the
    /// purchased set and the cart never expire before the history Redis answers for.
    private static func renewals(for user: UserID) -> [[String]] {
        [RedisKeys.history(user), RedisKeys.purchased(user), RedisKeys.cart(user)].map {
            ["EXPIRE", $0, String(RedisKeys.userTTLSeconds)]
        }
    }

    /// KEYS: purchased set, global popularity, category popularity; ARGV: product, increment,
    /// TTL seconds, whether the category key applies.
    static let firstPurchaseScript = """
        if redis.call('SADD', KEYS[1], ARGV[1]) == 1 then
          redis.call('ZINCRBY', KEYS[2], ARGV[2], ARGV[1])
          if ARGV[4] == '1' then redis.call('ZINCRBY', KEYS[3], ARGV[2], ARGV[1]) end
        end
        redis.call('EXPIRE', KEYS[1], ARGV[3])
        return 0
        """

    /// Applies accepted events to the hot state: history, purchases, cart and popularity.
    /// Failures are logged and reported, never thrown: PostgreSQL already holds the events.
    ///
    /// Every event renews all three of its shopper's keys: Redis answers for a shopper whose
    /// history it holds, so the purchased set and the cart must not expire before the history
    /// (a shopper who bought once and then only browsed for the TTL would otherwise lose the
    /// "already purchased" exclusion).
    public func record(_ events: [Interaction], categoryOf: (ProductID) -> String?) async -> Bool {
        var commands: [[String]] = []
        var users: [UserID] = []
        var seen = Set<UserID>()
        for event in events {
            let user = event.userID
            if seen.insert(user).inserted { users.append(user) }
            commands.append(["DEL", RedisKeys.noHistory(user)])
            commands.append(["LPUSH", RedisKeys.history(user), EncodedEvent.encode(event)])
            commands.append(["LTRIM", RedisKeys.history(user), "0", String(RedisKeys.historyLength - 1)])
            switch event.type {
            case .cartAdd:
                commands.append([
                    "ZADD", RedisKeys.cart(user), String(event.occurredAt.timeIntervalSince1970), event.productID,
                ])
            case .cartRemove:
                commands.append(["ZREM", RedisKeys.cart(user), event.productID])
            case .purchase:
                commands.append(["ZREM", RedisKeys.cart(user), event.productID])
                // First purchase of this product by this user: into the purchased set and, only
                // then, +1 (time-decayed) on the popularity sets — the same "new buyers lately"
                // signal the in-memory `PopularityIndex` counts, atomically in one script.
                let increment = String(PopularityDecay.shared.increment(weight: 1, at: event.occurredAt))
                let category = categoryOf(event.productID) ?? ""
                commands.append([
                    "EVAL", Self.firstPurchaseScript, "3", RedisKeys.purchased(user), RedisKeys.popularityGlobal,
                    category.isEmpty ? RedisKeys.popularityGlobal : RedisKeys.popularity(category: category),
                    event.productID, increment, String(RedisKeys.userTTLSeconds), category.isEmpty ? "0" : "1",
                ])
            default:
                break
            }
        }
        for user in users { commands += Self.renewals(for: user) }
        do {
            _ = try await redis.pipeline(commands)
            return true
        } catch {
            logger.warning("redis unavailable: hot state not updated", metadata: ["error": "\(error)"])
            return false
        }
    }
}
