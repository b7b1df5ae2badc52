/// How many items of each category a diversity window holds so far, categories in order of
/// first appearance: what `CategoryDiversityRule` and `FillRule` count to keep the cap. A window
/// holds a handful of categories, so a short list searched linearly costs less than hashing each
/// category string into a dictionary.
struct CategoryTally {
    /// The categories counted, in order of first appearance.
    private(set) var categories: [String] = []
    private var counts: [Int] = []

    init(capacity: Int = 0) {
        categories.reserveCapacity(capacity)
        counts.reserveCapacity(capacity)
    }

    /// Items of `category` counted so far.
    func count(of category: String) -> Int {
        categories.firstIndex(of: category).map { counts[$0] } ?? 0
    }

    /// Counts one more item of `category`.
    mutating func add(_ category: String) {
        _ = add(category, cap: .max)
    }

    /// Counts one more item of `category` if it has fewer than `cap`; whether it did.
    mutating func add(_ category: String, cap: Int) -> Bool {
        guard let slot = categories.firstIndex(of: category) else {
            guard cap > 0 else { return false }
            categories.append(category)
            counts.append(1)
            return true
        }
        guard counts[slot] < cap else { return false }
        counts[slot] += 1
        return true
    }
}
