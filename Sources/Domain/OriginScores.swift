/// One optional score per candidate origin, stored inline (five floats and a presence mask).
///
/// `ScoredItem.rawScores` was a `[CandidateOrigin: Float]`: a heap-allocated dictionary per
/// candidate, hashed on every write and retained on every copy of the item, for at most five
/// entries. This keeps the dictionary's surface (subscript, iteration in origin order, literals)
/// without the allocation.
///
/// The subscript is `@inlinable`: the scorer reads and writes it several times per candidate
/// from another module, where without inlining every access is a function call, on a path
/// run for every candidate of every request.
public struct OriginScores: Sendable, Hashable {
    @usableFromInline var values: (Float, Float, Float, Float, Float) = (0, 0, 0, 0, 0)
    @usableFromInline var present: UInt8 = 0

    public init() {}

    @inlinable
    static func slot(_ origin: CandidateOrigin) -> Int {
        switch origin {
        case .content: 0
        case .coPurchase: 1
        case .similarUsers: 2
        case .popularity: 3
        case .item2vec: 4
        }
    }

    @inlinable
    public subscript(origin: CandidateOrigin) -> Float? {
        get {
            let slot = Self.slot(origin)
            guard present & (1 << slot) != 0 else { return nil }
            switch slot {
            case 0: return values.0
            case 1: return values.1
            case 2: return values.2
            case 3: return values.3
            default: return values.4
            }
        }
        set {
            let slot = Self.slot(origin)
            guard let newValue else {
                present &= ~(1 << slot)
                return
            }
            present |= 1 << slot
            switch slot {
            case 0: values.0 = newValue
            case 1: values.1 = newValue
            case 2: values.2 = newValue
            case 3: values.3 = newValue
            default: values.4 = newValue
            }
        }
    }

    public var isEmpty: Bool { present == 0 }
    public var count: Int { present.nonzeroBitCount }

    public static func == (lhs: OriginScores, rhs: OriginScores) -> Bool {
        CandidateOrigin.allCases.allSatisfy { lhs[$0] == rhs[$0] }
    }

    public func hash(into hasher: inout Hasher) {
        for origin in CandidateOrigin.allCases { hasher.combine(self[origin]) }
    }
}

extension OriginScores: Sequence {
    /// The present entries in `CandidateOrigin.allCases` order.
    public func makeIterator() -> some IteratorProtocol<(origin: CandidateOrigin, score: Float)> {
        CandidateOrigin.allCases.lazy.compactMap { origin in self[origin].map { (origin: origin, score: $0) } }.makeIterator()
    }
}

extension OriginScores: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (CandidateOrigin, Float)...) {
        for (origin, score) in elements { self[origin] = score }
    }
}
