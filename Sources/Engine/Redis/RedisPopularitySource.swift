import Candidates
import Domain
import Foundation
import NIOConcurrencyHelpers
import Storage

/// Popularity candidates from the Redis sorted sets every replica writes (`RedisKeys`), read at
/// most once a second per list and shared by all requests of that second. When Redis is down
/// the replica's in-memory `PopularityIndex` (rebuilt from PostgreSQL) answers instead.
struct RedisPopularitySource: CandidateSource {
    let redis: RedisClient
    let fallback: PopularityIndex
    let catalog: LiveCatalog
    let metrics: ServiceMetrics
    private let cache = NIOLockedValueBox([String: (fetched: Date, list: [(ProductID, Double)])]())
    /// Lists are re-read from Redis this often; a second of staleness is invisible to shoppers.
    private let maxAge: TimeInterval = 1

    init(redis: RedisClient, fallback: PopularityIndex, catalog: LiveCatalog, metrics: ServiceMetrics) {
        self.redis = redis
        self.fallback = fallback
        self.catalog = catalog
        self.metrics = metrics
    }

    var origin: CandidateOrigin { .popularity }

    func candidates(for contexts: [ShopperContext], limit: Int) async throws -> [[Candidate]] {
        var result: [[Candidate]] = []
        for context in contexts {
            let category = context.request.filter.category
            let list = await top(limit: limit, category: category, now: context.now)
            result.append(list.map { Candidate(productID: $0.0, origin: .popularity, rawScore: Float($0.1)) })
        }
        return result
    }

    /// The `limit` most popular products (decayed counts), global or in one category.
    func top(limit: Int, category: String?, now: Date) async -> [(ProductID, Double)] {
        let key = category.map(RedisKeys.popularity(category:)) ?? RedisKeys.popularityGlobal
        let fetchSize = max(limit, 200)
        if let cached = cache.withLockedValue({ $0[key] }), now.timeIntervalSince(cached.fetched) < maxAge,
            cached.list.count >= min(limit, fetchSize)
        {
            return Array(cached.list.prefix(limit))
        }
        do {
            let members = try await redis.zrevrangeWithScores(key, start: 0, stop: fetchSize - 1)
            let list = members.map { ($0.member, PopularityDecay.shared.decayed(stored: $0.score, now: now)) }
            if !list.isEmpty {
                cache.withLockedValue { $0[key] = (now, list) }
                return Array(list.prefix(limit))
            }
        } catch {
            metrics.increment("hybridrank_redis_errors_total", labels: ["operation": "popularity"])
        }
        return fallback.top(limit, category: category, now: now).map { ($0.productID, $0.score) }
    }
}
