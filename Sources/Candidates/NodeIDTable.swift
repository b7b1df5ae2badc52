import Domain

/// Product id → graph node, for `HNSWIndex`: open addressing (linear probing) over node numbers
/// that keeps no key of its own — a slot holds a node, and the node's id lives in the index's
/// `nodeIDs`, where the lookup compares it. 4 bytes a slot at a load factor up to 0.7 (≈ 6 bytes a
/// product), where a `[ProductID: Int32]` costs 20 bytes a bucket at up to 0.75 and a power-of-two
/// bucket count (27–53 bytes a product).
///
/// Every call takes the `nodeIDs` array the nodes index into; the caller keeps the two in step
/// (a node's id is set before it is inserted here and changed only after it is removed).
struct NodeIDTable {
    /// Node numbers, `empty` where free.
    private var slots: [Int32] = []
    private(set) var count = 0
    private static let empty: Int32 = -1
    private static let maxLoad = 0.7

    /// Room for `capacity` entries without growing.
    mutating func reserveCapacity(_ capacity: Int, ids: [ProductID]) {
        let needed = Int((Double(capacity) / Self.maxLoad).rounded(.up)) + 1
        if needed > slots.count { rehash(to: needed, ids: ids) }
    }

    func find(_ id: ProductID, ids: [ProductID]) -> Int32? {
        slot(of: id, ids: ids).map { slots[$0] }
    }

    /// Adds `node` under `ids[node]`, which must not be present yet.
    mutating func insert(_ node: Int32, ids: [ProductID]) {
        if Double(count + 1) > Self.maxLoad * Double(slots.count) {
            // Grow to a load of one half (doubling the entries a large table is sized for).
            rehash(to: max(16, 2 * (count + 1)), ids: ids)
        }
        slots[freeSlot(from: home(ids[Int(node)]))] = node
        count += 1
    }

    /// Removes `id` (if present); returns its node. Backward-shift deletion: no tombstones, so
    /// probe lengths stay those of the live entries.
    @discardableResult
    mutating func remove(_ id: ProductID, ids: [ProductID]) -> Int32? {
        guard let i = slot(of: id, ids: ids) else { return nil }
        let removed = slots[i]
        var hole = i
        var j = i
        while true {
            j += 1
            if j == slots.count { j = 0 }
            let node = slots[j]
            if node == Self.empty { break }
            // The entry at j may move back to the hole unless its home lies cyclically in (hole, j].
            let h = home(ids[Int(node)])
            let stays = hole <= j ? (hole < h && h <= j) : (hole < h || h <= j)
            if !stays {
                slots[hole] = node
                hole = j
            }
        }
        slots[hole] = Self.empty
        count -= 1
        return removed
    }

    /// Resident bytes (the slot array).
    var bytes: Int { slots.capacity * MemoryLayout<Int32>.stride }

    private func home(_ id: ProductID) -> Int {
        // Multiply-shift onto any table size (not only powers of two).
        Int(truncatingIfNeeded: UInt(bitPattern: id.hashValue).multipliedFullWidth(by: UInt(slots.count)).high)
    }

    private mutating func rehash(to size: Int, ids: [ProductID]) {
        let old = slots
        slots = []
        slots.reserveCapacity(size)
        slots.append(contentsOf: repeatElement(Self.empty, count: size))
        count = 0
        for node in old where node != Self.empty {
            slots[freeSlot(from: home(ids[Int(node)]))] = node
            count += 1
        }
    }

    /// The slot holding `id`'s node, probing linearly from its home; nil at the first free slot.
    private func slot(of id: ProductID, ids: [ProductID]) -> Int? {
        guard !slots.isEmpty else { return nil }
        var i = home(id)
        while true {
            let node = slots[i]
            if node == Self.empty { return nil }
            if ids[Int(node)] == id { return i }
            i += 1
            if i == slots.count { i = 0 }
        }
    }

    /// The first free slot at or after `start`, cyclically (the load bound keeps one free).
    private func freeSlot(from start: Int) -> Int {
        var i = start
        while slots[i] != Self.empty {
            i += 1
            if i == slots.count { i = 0 }
        }
        return i
    }
}
