import Foundation
import NIOConcurrencyHelpers
import Rerank
import Testing

@testable import Engine
@testable import Ranking
import Support

/// The in-process tier of the cross-encoder score cache: what it keeps, for how long, and what it
/// still asks the shared cache.
struct RerankScoreCacheTests {
    /// A settable clock for the TTL.
    final class Clock: Sendable {
        let seconds = NIOLockedValueBox(1_000.0)
        var read: @Sendable () -> Double { { [seconds] in seconds.withLockedValue { $0 } } }
    }

    /// A shared cache that records the keys it is asked for.
    final class RecordingCache: RerankScoreCache {
        let store = InMemoryRerankScoreCache()
        let asked = NIOLockedValueBox<[[String]]>([])
        let written = NIOLockedValueBox<[String]>([])

        func get(keys: [String]) async -> [Float?] {
            asked.withLockedValue { $0.append(keys) }
            return await store.get(keys: keys)
        }

        func set(_ entries: [(String, Float)]) async {
            written.withLockedValue { $0.append(contentsOf: entries.map(\.0)) }
            await store.set(entries)
        }
    }

    @Test func inMemoryEntriesExpireAfterTheirTTL() async {
        let clock = Clock()
        let cache = InMemoryRerankScoreCache(capacity: 10, ttlSeconds: 60, now: clock.read)
        await cache.set([("a", 1.5)])
        clock.seconds.withLockedValue { $0 += 30 }
        await cache.set([("b", 2.5)])
        #expect(await cache.get(keys: ["a", "b"]) == [1.5, 2.5])
        clock.seconds.withLockedValue { $0 += 31 }
        #expect(await cache.get(keys: ["a", "b"]) == [nil, 2.5], "a is 61 s old, b 31 s")
        await cache.set([("a", 3.5)])
        #expect(await cache.get(keys: ["a"]) == [3.5], "setting again renews the entry")
        // Without a TTL entries stay until evicted.
        let forever = InMemoryRerankScoreCache(capacity: 2, now: clock.read)
        await forever.set([("x", 1)])
        clock.seconds.withLockedValue { $0 += 1e9 }
        #expect(await forever.get(keys: ["x"]) == [1])
    }

    @Test func theLocalTierAnswersRepeatsAndPassesOnlyItsMissesToTheSharedCache() async {
        let shared = RecordingCache()
        await shared.store.set([("k1", 0.25), ("k2", -1)])
        let metrics = ServiceMetrics()
        let cache = TieredRerankScoreCache(local: InMemoryRerankScoreCache(capacity: 100), shared: shared, metrics: metrics)

        #expect(await cache.get(keys: ["k1", "k2", "k3"]) == [0.25, -1, nil])
        #expect(shared.asked.withLockedValue { $0 } == [["k1", "k2", "k3"]])
        // Shared hits were kept locally: only the miss goes on.
        #expect(await cache.get(keys: ["k2", "k3", "k1"]) == [-1, nil, 0.25])
        #expect(shared.asked.withLockedValue { $0.last } == ["k3"])
        #expect(metrics.counterValue("hybridrank_rerank_cache_total", labels: ["result": "local_hit"]) == 2)

        // A computed score goes to both tiers; then nothing reaches the shared cache.
        await cache.set([("k3", 4)])
        #expect(shared.written.withLockedValue { $0 } == ["k3"])
        let askedBefore = shared.asked.withLockedValue { $0.count }
        #expect(await cache.get(keys: ["k1", "k2", "k3"]) == [0.25, -1, 4])
        #expect(shared.asked.withLockedValue { $0.count } == askedBefore)
        #expect(await cache.get(keys: []) == [])
    }

    @Test func theLocalTierSizeComesFromTheEnvironment() {
        #expect(ServiceConfiguration(environment: [:]).rerankLocalCacheEntries == 100_000)
        #expect(ServiceConfiguration(environment: ["HYBRIDRANK_RERANK_LOCAL_CACHE_ENTRIES": "0"]).rerankLocalCacheEntries == 0)
        #expect(ServiceConfiguration(environment: ["HYBRIDRANK_RERANK_LOCAL_CACHE_ENTRIES": "-5"]).rerankLocalCacheEntries == 100_000)
    }

    @Test func theLocalTierIsBoundedAndFallsBackToTheSharedCache() async {
        let shared = RecordingCache()
        let cache = TieredRerankScoreCache(local: InMemoryRerankScoreCache(capacity: 2), shared: shared, metrics: ServiceMetrics())
        await cache.set([("a", 1), ("b", 2), ("c", 3)])
        #expect(cache.local.count == 2)
        // "a" was evicted locally but is still in the shared cache.
        #expect(await cache.get(keys: ["a", "c"]) == [1, 3])
        #expect(shared.asked.withLockedValue { $0.last } == ["a"])
    }
}
