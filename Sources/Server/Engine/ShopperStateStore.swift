import Domain
import Foundation
import Logging
import Candidates
import Storage

/// What the service knows about a shopper at request time.
public struct ShopperState: Sendable {
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

    init(redis: RedisClient, interactions: InteractionRepository, logger: Logger) {
        self.redis = redis
        self.interactions = interactions
        self.logger = logger
    }

    public func state(for user: UserID?) async -> ShopperState {
        guard let user else { return ShopperState() }
        var state = ShopperState()
        do {
            let replies = try await redis.pipeline([
                ["LRANGE", RedisKeys.history(user), "0", String(RedisKeys.historyLength - 1)],
                ["SMEMBERS", RedisKeys.purchased(user)],
                ["ZRANGE", RedisKeys.cart(user), "0", "-1"],
                ["EXISTS", RedisKeys.history(user)],
                ["EXISTS", RedisKeys.noHistory(user)],
            ])
            let known = (replies[3].int ?? 0) > 0
            if known {
                state.history = (replies[0].array ?? []).compactMap(\.bytes).compactMap { EncodedEvent.decode($0, user: user) }
                state.purchased = Set((replies[1].array ?? []).compactMap(\.string))
                state.cart = (replies[2].array ?? []).compactMap(\.string)
                return state
            }
            // PostgreSQL said "no events" moments ago: a shopper with no history yet costs no
            // PostgreSQL round trips on every widget request (the marker goes with their first event).
            if (replies[4].int ?? 0) > 0 { return state }
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
        for key in [RedisKeys.history(user), RedisKeys.purchased(user), RedisKeys.cart(user)] {
            commands.append(["EXPIRE", key, String(RedisKeys.userTTLSeconds)])
        }
        _ = try await redis.pipeline(commands)
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
    public func record(_ events: [Interaction], categoryOf: (ProductID) -> String?) async -> Bool {
        var commands: [[String]] = []
        for event in events {
            let user = event.userID
            commands.append(["DEL", RedisKeys.noHistory(user)])
            commands.append(["LPUSH", RedisKeys.history(user), EncodedEvent.encode(event)])
            commands.append(["LTRIM", RedisKeys.history(user), "0", String(RedisKeys.historyLength - 1)])
            commands.append(["EXPIRE", RedisKeys.history(user), String(RedisKeys.userTTLSeconds)])
            switch event.type {
            case .cartAdd:
                commands.append([
                    "ZADD", RedisKeys.cart(user), String(event.occurredAt.timeIntervalSince1970), event.productID,
                ])
                commands.append(["EXPIRE", RedisKeys.cart(user), String(RedisKeys.userTTLSeconds)])
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
        do {
            _ = try await redis.pipeline(commands)
            return true
        } catch {
            logger.warning("redis unavailable: hot state not updated", metadata: ["error": "\(error)"])
            return false
        }
    }
}
