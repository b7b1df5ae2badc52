/// A bounded min-heap that keeps the `capacity` largest (score, ordinal) pairs seen so far.
///
/// Used by every index's search: pushing n scores costs O(n log k) and allocates once. Equal
/// scores are ordered by ordinal (the lower one is kept), so the result depends only on the pairs
/// pushed, never on the order they came in: sources that walk a hash-ordered dictionary still
/// give the same list in every process.
public struct TopKHeap: Sendable {
    public private(set) var scores: [Float]
    public private(set) var ordinals: [Int32]
    public let capacity: Int

    public init(capacity: Int) {
        self.capacity = max(0, capacity)
        scores = []
        ordinals = []
        scores.reserveCapacity(self.capacity)
        ordinals.reserveCapacity(self.capacity)
    }

    public var count: Int { scores.count }
    public var isFull: Bool { scores.count >= capacity }
    /// The smallest kept score (the bar a new item must beat once full).
    public var minimum: Float { scores.isEmpty ? -.infinity : scores[0] }

    /// - Complexity: O(log k).
    @inline(__always)
    public mutating func push(_ score: Float, _ ordinal: Int32) {
        guard capacity > 0 else { return }
        if scores.count < capacity {
            scores.append(score)
            ordinals.append(ordinal)
            siftUp(scores.count - 1)
        } else if score > scores[0] || (score == scores[0] && ordinal < ordinals[0]) {
            scores[0] = score
            ordinals[0] = ordinal
            siftDown(0)
        }
    }

    /// Removes and returns the smallest kept pair.
    public mutating func popMinimum() -> (score: Float, ordinal: Int32)? {
        guard !scores.isEmpty else { return nil }
        let top = (scores[0], ordinals[0])
        let last = scores.count - 1
        scores.swapAt(0, last)
        ordinals.swapAt(0, last)
        scores.removeLast()
        ordinals.removeLast()
        if !scores.isEmpty { siftDown(0) }
        return top
    }

    /// The kept pairs, best first.
    public func sortedDescending() -> [(score: Float, ordinal: Int32)] {
        var pairs = (0..<scores.count).map { (score: scores[$0], ordinal: ordinals[$0]) }
        pairs.sort { $0.score != $1.score ? $0.score > $1.score : $0.ordinal < $1.ordinal }
        return pairs
    }

    /// Heap order: lower score first; on equal scores the higher ordinal (evicted first).
    @inline(__always)
    private func less(_ a: Int, _ b: Int) -> Bool {
        scores[a] < scores[b] || (scores[a] == scores[b] && ordinals[a] > ordinals[b])
    }

    private mutating func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            if less(child, parent) {
                scores.swapAt(child, parent)
                ordinals.swapAt(child, parent)
                child = parent
            } else { return }
        }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        let n = scores.count
        while true {
            let left = 2 * parent + 1
            if left >= n { return }
            var smallest = left
            if left + 1 < n, less(left + 1, left) { smallest = left + 1 }
            if less(smallest, parent) {
                scores.swapAt(smallest, parent)
                ordinals.swapAt(smallest, parent)
                parent = smallest
            } else { return }
        }
    }
}
