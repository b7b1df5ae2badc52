import Rerank
import Storage

/// Cross-encoder logits in Redis, shared by every replica, each entry with a TTL: a repeat
/// context (same recent purchases, same product, same model) costs one `MGET` instead of a
/// model call. Redis errors count as misses (rerank still works, just slower).
package struct RedisRerankScoreCache: RerankScoreCache {
    let redis: RedisClient
    let ttlSeconds: Int
    let metrics: ServiceMetrics

    package init(redis: RedisClient, ttlSeconds: Int, metrics: ServiceMetrics) {
        self.redis = redis
        self.ttlSeconds = ttlSeconds
        self.metrics = metrics
    }

    package func get(keys: [String]) async -> [Float?] {
        guard !keys.isEmpty else { return [] }
        do {
            let values = try await redis.mget(keys.map(RedisKeys.rerankScore))
            let logits = values.map { $0.flatMap(Float.init) }
            let hits = logits.reduce(0) { $0 + ($1 == nil ? 0 : 1) }
            metrics.increment("hybridrank_rerank_cache_total", labels: ["result": "hit"], by: Double(hits))
            metrics.increment("hybridrank_rerank_cache_total", labels: ["result": "miss"], by: Double(keys.count - hits))
            return logits
        } catch {
            metrics.increment("hybridrank_redis_errors_total", labels: ["operation": "rerank_cache_get"])
            return Array(repeating: nil, count: keys.count)
        }
    }

    package func set(_ entries: [(String, Float)]) async {
        guard !entries.isEmpty else { return }
        let commands = entries.map { ["SET", RedisKeys.rerankScore($0.0), String($0.1), "EX", String(ttlSeconds)] }
        do {
            _ = try await redis.pipeline(commands)
        } catch {
            metrics.increment("hybridrank_redis_errors_total", labels: ["operation": "rerank_cache_set"])
        }
    }
}
