import Foundation

/// Size and character of the synthetic demo shop. The defaults make the demo of the README:
/// 10,000 products, 50,000 users, six months of sessions, seed 42.
public struct DemoShopConfiguration: Sendable, Hashable {
    public var products: Int
    public var users: Int
    /// Length of the event history, ending at `endDate`.
    public var months: Int
    /// Same seed, same shop: the catalog depends on the seed and the catalog settings only, the
    /// users and events on everything.
    public var seed: UInt64
    /// The end of the event history (exclusive). Fixed by default so the output is reproducible;
    /// the CLI passes today's date so the demo's "new arrivals" are new.
    public var endDate: Date
    /// Average browsing sessions per user over the whole history (heavy users get many more,
    /// about a third of users get none and stay cold-start users).
    public var sessionsPerUser: Double
    /// Share of products out of stock (stock 0): the stock rule must hide them.
    public var outOfStockShare: Double
    /// Share of products promoted (+20% boost by default).
    public var promotedShare: Double
    /// Share of products created in the last `newArrivalDays` days before `endDate`.
    public var newArrivalShare: Double
    public var newArrivalDays: Int
    /// Zipf exponent of product popularity inside a category (1 = classic long tail).
    public var zipfExponent: Double
    public var categories: [DemoShopCategory]

    public init(
        products: Int = 10_000,
        users: Int = 50_000,
        months: Int = 6,
        seed: UInt64 = 42,
        endDate: Date = Date(timeIntervalSince1970: 1_793_491_200),  // 2026-11-01T00:00:00Z
        sessionsPerUser: Double = 3,
        outOfStockShare: Double = 0.06,
        promotedShare: Double = 0.05,
        newArrivalShare: Double = 0.05,
        newArrivalDays: Int = 30,
        zipfExponent: Double = 1.0,
        categories: [DemoShopCategory] = DemoShopCategory.standard
    ) {
        self.products = products
        self.users = users
        self.months = months
        self.seed = seed
        self.endDate = endDate
        self.sessionsPerUser = sessionsPerUser
        self.outOfStockShare = outOfStockShare
        self.promotedShare = promotedShare
        self.newArrivalShare = newArrivalShare
        self.newArrivalDays = newArrivalDays
        self.zipfExponent = zipfExponent
        self.categories = categories
    }

    /// The first instant of the event history: `months` average months before `endDate`, at
    /// midnight UTC (sessions are scheduled by hour of the day).
    public var startDate: Date {
        let start = endDate.timeIntervalSince1970 - Double(max(1, months)) * 30.4375 * 86_400
        return Date(timeIntervalSince1970: (start / 86_400).rounded(.down) * 86_400)
    }
}
