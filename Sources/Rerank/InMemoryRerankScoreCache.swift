import Foundation

/// A bounded least-recently-used cache of logits in process memory (tests, offline evaluation,
/// and the server when Redis is down).
///
/// Entries live in arrays linked by index (no per-entry allocation after warm-up); one lock
/// guards the whole structure, held only for the O(batch) look-ups of one call.
public final class InMemoryRerankScoreCache: RerankScoreCache, @unchecked Sendable {
    public let capacity: Int
    private let lock = NSLock()
    private var slots: [String: Int] = [:]
    private var keys: [String] = []
    private var values: [Float] = []
    private var newer: [Int] = []
    private var older: [Int] = []
    /// Most and least recently used slots (-1 when empty).
    private var newest = -1
    private var oldest = -1

    /// - Parameter capacity: entries kept; the least recently used are evicted beyond it.
    public init(capacity: Int = 100_000) {
        self.capacity = max(1, capacity)
    }

    public var count: Int { lock.withLock { slots.count } }

    public func get(keys requested: [String]) async -> [Float?] {
        lock.withLock {
            requested.map { key -> Float? in
                guard let slot = slots[key] else { return nil }
                touch(slot)
                return values[slot]
            }
        }
    }

    public func set(_ entries: [(String, Float)]) async {
        lock.withLock {
            for (key, value) in entries {
                if let slot = slots[key] {
                    values[slot] = value
                    touch(slot)
                    continue
                }
                let slot: Int
                if keys.count < capacity {
                    slot = keys.count
                    keys.append(key)
                    values.append(value)
                    newer.append(-1)
                    older.append(-1)
                } else {
                    slot = oldest
                    unlink(slot)
                    slots[keys[slot]] = nil
                    keys[slot] = key
                    values[slot] = value
                }
                slots[key] = slot
                linkNewest(slot)
            }
        }
    }

    private func touch(_ slot: Int) {
        guard slot != newest else { return }
        unlink(slot)
        linkNewest(slot)
    }

    private func unlink(_ slot: Int) {
        let n = newer[slot], o = older[slot]
        if n >= 0 { older[n] = o } else { newest = o }
        if o >= 0 { newer[o] = n } else { oldest = n }
        newer[slot] = -1
        older[slot] = -1
    }

    private func linkNewest(_ slot: Int) {
        older[slot] = newest
        newer[slot] = -1
        if newest >= 0 { newer[newest] = slot }
        newest = slot
        if oldest < 0 { oldest = slot }
    }
}
