import Rerank

/// Cross-encoder scores in two tiers: this replica's `InMemoryRerankScoreCache` first, then the
/// shared cache (Redis) for what it lacks.
///
/// A cached logit is a pure function of its key (model version, context hash, product), so a
/// replica may keep the ones it has seen: a repeat context then costs no Redis round trip (on a
/// cached product page that round trip was the largest single cost after the HTTP layer).
/// Replicas stay stateless: the local tier only holds values Redis held or this replica computed
/// and wrote there, each for at most the Redis TTL from when it was stored here, and a restart
/// merely empties it. Local hits count as `hybridrank_rerank_cache_total{result="local_hit"}`;
/// the keys passed on are counted by the shared cache as `hit`/`miss`.
package struct TieredRerankScoreCache: RerankScoreCache {
    let local: InMemoryRerankScoreCache
    let shared: any RerankScoreCache
    let metrics: ServiceMetrics

    package init(local: InMemoryRerankScoreCache, shared: any RerankScoreCache, metrics: ServiceMetrics) {
        self.local = local
        self.shared = shared
        self.metrics = metrics
    }

    package func get(keys: [String]) async -> [Float?] {
        guard !keys.isEmpty else { return [] }
        var logits = await local.get(keys: keys)
        var missing: [Int] = []
        for index in logits.indices where logits[index] == nil { missing.append(index) }
        if missing.count < keys.count {
            metrics.increment("hybridrank_rerank_cache_total", labels: ["result": "local_hit"], by: Double(keys.count - missing.count))
        }
        guard !missing.isEmpty else { return logits }
        let fetched = await shared.get(keys: missing.map { keys[$0] })
        guard fetched.count == missing.count else { return logits }
        var found: [(String, Float)] = []
        for (index, logit) in zip(missing, fetched) {
            guard let logit else { continue }
            logits[index] = logit
            found.append((keys[index], logit))
        }
        await local.set(found)
        return logits
    }

    package func set(_ entries: [(String, Float)]) async {
        guard !entries.isEmpty else { return }
        await local.set(entries)
        await shared.set(entries)
    }
}
