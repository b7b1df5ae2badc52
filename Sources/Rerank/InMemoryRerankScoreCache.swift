import Foundation

/// A bounded least-recently-used cache of logits in process memory: offline runs and tests on
/// its own, and the server's in-process tier in front of Redis (`TieredRerankScoreCache`).
///
/// Entries live in arrays linked by index (no per-entry allocation after warm-up); one lock
/// guards the whole structure, held only for the O(batch) look-ups of one call.
public final class InMemoryRerankScoreCache: RerankScoreCache, @unchecked Sendable {
    public let capacity: Int
    /// How long an entry counts after it was set (`nil`: until evicted).
    public let ttlSeconds: Double?
    private let now: @Sendable () -> Double
    private let lock = NSLock()
    /// Guarded by `lock`. A struct mutated in place, so one call pays one exclusivity check,
    /// not one per array access (as stored properties of the class each did), and a cached
    /// product page makes 20 look-ups and LRU moves.
    private var entries: Entries

    /// - Parameters:
    ///   - capacity: entries kept; the least recently used are evicted beyond it.
    ///   - ttlSeconds: entries expire this long after they were set (`nil`: never).
    ///   - now: seconds since 1970 (tests move time).
    public init(
        capacity: Int = 100_000, ttlSeconds: Double? = nil,
        now: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }
    ) {
        self.capacity = max(1, capacity)
        self.ttlSeconds = ttlSeconds
        self.now = now
        self.entries = Entries(capacity: max(1, capacity))
    }

    public var count: Int { lock.withLock { entries.slots.count } }

    public func get(keys requested: [String]) async -> [Float?] {
        // Without a TTL every expiry is +∞, so the clock need not be read.
        let time = ttlSeconds == nil ? 0 : now()
        return lock.withLock { entries.get(requested, at: time) }
    }

    public func set(_ newEntries: [(String, Float)]) async {
        let expiry = ttlSeconds.map { now() + $0 } ?? .infinity
        lock.withLock { entries.set(newEntries, expiry: expiry) }
    }

    /// The cache's state: slots linked newest → oldest by index.
    private struct Entries {
        let capacity: Int
        var slots: [String: Int] = [:]
        var keys: [String] = []
        var values: [Float] = []
        /// Seconds since 1970 after which each slot's entry is a miss (with a TTL).
        var expiries: [Double] = []
        var newer: [Int] = []
        var older: [Int] = []
        /// Most and least recently used slots (-1 when empty).
        var newest = -1
        var oldest = -1

        init(capacity: Int) {
            self.capacity = capacity
        }

        mutating func get(_ requested: [String], at time: Double) -> [Float?] {
            requested.map { key -> Float? in
                guard let slot = slots[key], expiries[slot] > time else { return nil }
                touch(slot)
                return values[slot]
            }
        }

        mutating func set(_ entries: [(String, Float)], expiry: Double) {
            for (key, value) in entries {
                if let slot = slots[key] {
                    values[slot] = value
                    expiries[slot] = expiry
                    touch(slot)
                    continue
                }
                let slot: Int
                if keys.count < capacity {
                    slot = keys.count
                    keys.append(key)
                    values.append(value)
                    expiries.append(expiry)
                    newer.append(-1)
                    older.append(-1)
                } else {
                    slot = oldest
                    unlink(slot)
                    slots[keys[slot]] = nil
                    keys[slot] = key
                    values[slot] = value
                    expiries[slot] = expiry
                }
                slots[key] = slot
                linkNewest(slot)
            }
        }

        private mutating func touch(_ slot: Int) {
            guard slot != newest else { return }
            unlink(slot)
            linkNewest(slot)
        }

        private mutating func unlink(_ slot: Int) {
            let n = newer[slot], o = older[slot]
            if n >= 0 { older[n] = o } else { newest = o }
            if o >= 0 { newer[o] = n } else { oldest = n }
            newer[slot] = -1
            older[slot] = -1
        }

        private mutating func linkNewest(_ slot: Int) {
            older[slot] = newest
            newer[slot] = -1
            if newest >= 0 { newer[newest] = slot }
            newest = slot
            if oldest < 0 { oldest = slot }
        }
    }
}
