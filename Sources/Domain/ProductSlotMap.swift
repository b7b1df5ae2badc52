/// Numbers distinct product ids 0, 1, 2, … in order of first appearance, and finds an id's
/// number: stage 2's merge of the candidate lists, the stock rule's duplicate check and the live
/// catalog's id → position table, all on every request's hot path.
///
/// A `[ProductID: Int]` hashes each id with SipHash (twice per candidate in the merge: look up,
/// then insert), and a request merges ~400 candidates (docs/benchmarks/service.md). This table
/// hashes each
/// id once with FNV-1a over its UTF-8 bytes (ids are short: a few ns) and probes linearly; a
/// 32-bit fingerprint beside each slot keeps string comparisons to true matches. Ids are never
/// removed. It is not seeded, so the ids put in must be ones the shop itself issued (its
/// catalog, candidates from it): a look-up of any id is as cheap as ever, but inserting ids
/// chosen to collide would cluster the table.
public struct ProductSlotMap: Sendable {
    /// `fingerprint << 32 | (slot + 1)`; 0 = empty.
    private var table: [UInt64]
    private var mask: Int
    /// The ids in slot order.
    public private(set) var ids: [ProductID] = []

    /// - Parameter capacity: the number of distinct ids expected; the table grows past it.
    public init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        table = [UInt64](repeating: 0, count: size)
        mask = size - 1
        ids.reserveCapacity(capacity)
    }

    /// The number of distinct ids.
    public var count: Int { ids.count }

    /// The slot of `id`, numbering it `count` first if it is new.
    public mutating func slot(for id: ProductID) -> (slot: Int, inserted: Bool) {
        if (ids.count + 1) * 2 > table.count { grow() }
        let hash = Self.hash(id)
        let found = find(id, hash: hash)
        if let slot = found.slot { return (slot, false) }
        table[found.position] = Self.entry(hash: hash, slot: ids.count)
        ids.append(id)
        return (ids.count - 1, true)
    }

    /// The slot of `id`, or `nil` if it has none.
    public func slot(of id: ProductID) -> Int? {
        find(id, hash: Self.hash(id)).slot
    }

    /// The slots of `ids`, each as `slot(of:)` gives it. A catalog's table and ids are too large
    /// to stay in cache from one request to the next, so each look-up waits on two memory reads;
    /// this hashes the whole batch and reads every first probe before resolving any, so the CPU
    /// overlaps those misses instead of taking them one after another (the stock rule looks up
    /// ~60 products a request).
    public func slots(of ids: [ProductID]) -> [Int?] {
        withUnsafeTemporaryAllocation(of: (hash: UInt64, entry: UInt64).self, capacity: ids.count) { probes in
            table.withUnsafeBufferPointer { table in
                for (index, id) in ids.enumerated() {
                    let hash = Self.hash(id)
                    probes[index] = (hash, table[Int(truncatingIfNeeded: hash) & mask])
                }
            }
            // `find` reads the first probe again, now from cache; an empty one answers at once.
            return ids.indices.map { index in
                probes[index].entry == 0 ? nil : find(ids[index], hash: probes[index].hash).slot
            }
        }
    }

    /// Probes from `hash`'s position: `id`'s slot, or the empty position where it would go.
    private func find(_ id: ProductID, hash: UInt64) -> (slot: Int?, position: Int) {
        let fingerprint = hash >> 32
        var position = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = table[position]
            if entry == 0 { return (nil, position) }
            if entry >> 32 == fingerprint {
                let slot = Int(truncatingIfNeeded: entry & 0xFFFF_FFFF) - 1
                if ids[slot] == id { return (slot, position) }
            }
            position = (position + 1) & mask
        }
    }

    /// A table entry: the hash's fingerprint over `slot + 1` (0 stays "empty").
    private static func entry(hash: UInt64, slot: Int) -> UInt64 {
        (hash >> 32) << 32 | UInt64(slot + 1)
    }

    private mutating func grow() {
        let size = table.count * 2
        table = [UInt64](repeating: 0, count: size)
        mask = size - 1
        for (slot, id) in ids.enumerated() {
            let hash = Self.hash(id)
            var position = Int(truncatingIfNeeded: hash) & mask
            while table[position] != 0 { position = (position + 1) & mask }
            table[position] = Self.entry(hash: hash, slot: slot)
        }
    }

    /// FNV-1a (64-bit) of the UTF-8 bytes, with a final multiply so the low bits (the probe
    /// start) depend on every byte.
    static func hash(_ id: ProductID) -> UInt64 {
        var id = id
        return id.withUTF8 { bytes in
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in bytes {
                hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
            }
            return (hash ^ (hash >> 29)) &* 0xbf58_476d_1ce4_e5b9
        }
    }
}
