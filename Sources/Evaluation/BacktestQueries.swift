import Domain
import Foundation

/// A window's queries and truth as `../shared/eval/<window>/` holds them: task A's users
/// (`users_taskA.csv`) with their truth (`truth_taskA.csv`), task C's carts
/// (`taskC_queries.csv`) with their hidden products (`truth_taskC.csv`).
public struct BacktestQueries: Sendable {
    public var users: [UserID]
    public var truthA: [UserID: Set<ProductID>]
    public var carts: [CartQuery]
    public var truthC: [String: Set<ProductID>]
    /// How many users and carts the window has before any sampling.
    public var allUsers: Int
    public var allCarts: Int

    public init(users: [UserID], truthA: [UserID: Set<ProductID>], carts: [CartQuery], truthC: [String: Set<ProductID>]) {
        self.users = users
        self.truthA = truthA
        self.carts = carts
        self.truthC = truthC
        allUsers = users.count
        allCarts = carts.count
    }

    /// Reads the four files of `folder`.
    public static func load(folder: URL) throws -> BacktestQueries {
        let users = try RecommendationFile.readUsers(folder.appendingPathComponent("users_taskA.csv"))
        var carts = try RecommendationFile.readCarts(folder.appendingPathComponent("taskC_queries.csv"))
        let truthA = try readTruth(folder.appendingPathComponent("truth_taskA.csv"), keyColumn: "user_id")
        let truthC = try readTruth(folder.appendingPathComponent("truth_taskC.csv"), keyColumn: "basket_id")
        for index in carts.indices { carts[index].hidden = truthC[carts[index].basketID]?.first }
        return BacktestQueries(users: users, truthA: truthA, carts: carts, truthC: truthC)
    }

    /// `<keyColumn>,product_id` rows grouped by key.
    public static func readTruth(_ url: URL, keyColumn: String) throws -> [String: Set<ProductID>] {
        let table = try CSVTable.read(url)
        let key = try table.column(keyColumn)
        let product = try table.column("product_id")
        var truth: [String: Set<ProductID>] = [:]
        for row in table.rows { truth[row[key], default: []].insert(row[product]) }
        return truth
    }

    /// At most `limit` users and `limit` carts, drawn without replacement by a seeded shuffle and
    /// kept in file order: every engine is scored on the same sample, so comparisons stay paired.
    public func sampled(limit: Int, seed: UInt64) -> BacktestQueries {
        var copy = self
        copy.users = Self.sample(users, limit: limit, seed: seed)
        let keptCarts = Set(Self.sample(carts.map(\.basketID), limit: limit, seed: seed &+ 1))
        copy.carts = carts.filter { keptCarts.contains($0.basketID) }
        return copy
    }

    /// How many of the window's users (task A) and carts (task C) these queries score, as the
    /// report's tables state it.
    public func reportedSamples(window: String) -> (users: BacktestReport.WindowSample, carts: BacktestReport.WindowSample) {
        (
            BacktestReport.WindowSample(name: window, scored: users.count, available: allUsers),
            BacktestReport.WindowSample(name: window, scored: carts.count, available: allCarts)
        )
    }

    private static func sample(_ keys: [String], limit: Int, seed: UInt64) -> [String] {
        guard limit < keys.count else { return keys }
        var generator = SplitMix64(seed: seed)
        var order = Array(keys.indices)
        for i in 0..<limit {
            let j = i + Int(generator.next() % UInt64(order.count - i))
            order.swapAt(i, j)
        }
        return order.prefix(limit).sorted().map { keys[$0] }
    }
}
