import Domain
import Foundation

/// Counts of what the generator made, for the CLI's report and the tests' statistics.
public struct DemoShopSummary: Sendable, Hashable {
    public var products: Int
    public var categories: Int
    public var outOfStock: Int
    public var promoted: Int
    /// Products created in the last `newArrivalDays` days before the end date.
    public var newArrivals: Int
    public var users: Int
    /// Users with at least one event.
    public var activeUsers: Int = 0
    public var baskets: Int = 0
    public var events: [String: Int] = [:]

    init(catalog: DemoCatalog, configuration: DemoShopConfiguration) {
        products = catalog.products.count
        categories = Set(catalog.products.map(\.category)).count
        outOfStock = catalog.products.filter { !$0.isAvailable }.count
        promoted = catalog.products.filter(\.promoted).count
        let since = configuration.endDate.addingTimeInterval(-Double(configuration.newArrivalDays) * 86_400)
        newArrivals = catalog.products.filter { $0.createdAt >= since }.count
        users = configuration.users
        seenUsers = [Bool](repeating: false, count: configuration.users)
    }

    private var seenUsers: [Bool]

    mutating func count(_ type: InteractionType, user: Int) {
        events[type.rawValue, default: 0] += 1
        if !seenUsers[user] {
            seenUsers[user] = true
            activeUsers += 1
        }
    }

    public var totalEvents: Int { events.values.reduce(0, +) }
}
