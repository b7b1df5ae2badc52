import ArgumentParser
import Foundation
import Server
import ShopData
import Support

/// `hybridrank demo`: the synthetic demo shop.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "The synthetic demo shop.",
        subcommands: [DemoGenerateCommand.self]
    )
}

/// `hybridrank demo generate`: writes a seeded synthetic shop as NDJSON for `hybridrank import`.
struct DemoGenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate a seeded synthetic shop (catalog and months of events) as NDJSON.",
        discussion: """
            Writes DIR/products.ndjson and DIR/events.ndjson; load them with
              hybridrank import --catalog DIR/products.ndjson --events DIR/events.ndjson
            The same seed, sizes and end date give byte-identical files.
            """
    )

    @Option(help: "Number of products.")
    var products: Int = 10_000

    @Option(help: "Number of users.")
    var users: Int = 50_000

    @Option(help: "Months of event history.")
    var months: Int = 6

    @Option(help: "Random seed.")
    var seed: UInt64 = 42

    @Option(help: "Average sessions per user over the history.")
    var sessionsPerUser: Double = 3

    @Option(help: "End of the history, YYYY-MM-DD (UTC). Default: today, so new arrivals are new.")
    var endDate: String?

    @Option(help: "Output directory.")
    var out: String

    func validate() throws {
        guard products > 0 else { throw ValidationError("--products must be positive") }
        guard users >= 0 else { throw ValidationError("--users must not be negative") }
        guard months > 0 else { throw ValidationError("--months must be positive") }
        guard sessionsPerUser >= 0 else { throw ValidationError("--sessions-per-user must not be negative") }
        if let endDate, Self.parseDay(endDate) == nil { throw ValidationError("--end-date must be YYYY-MM-DD") }
    }

    func run() throws {
        let end = endDate.flatMap(Self.parseDay) ?? Self.startOfToday()
        let configuration = DemoShopConfiguration(
            products: products, users: users, months: months, seed: seed, endDate: end, sessionsPerUser: sessionsPerUser
        )
        let clock = ContinuousClock()
        let start = clock.now
        let summary = try DemoShopWriter(configuration: configuration).write(to: URL(fileURLWithPath: out))
        let elapsed = start.duration(to: clock.now)
        let events = summary.events.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        print(
            """
            demo shop written to \(out) in \(Int(elapsed.inMilliseconds)) ms
              products \(summary.products) in \(summary.categories) categories: \(summary.outOfStock) out of stock, \
            \(summary.promoted) promoted, \(summary.newArrivals) new arrivals
              users \(summary.users) (\(summary.activeUsers) with events), baskets \(summary.baskets)
              events \(summary.totalEvents): \(events)
            load it: hybridrank import --catalog \(out)/\(DemoShopWriter.productsFileName) --events \(out)/\(DemoShopWriter.eventsFileName)
            """)
    }

    static func parseDay(_ text: String) -> Date? {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, text.count == 10 else { return nil }
        var components = DateComponents()
        components.year = parts[0]
        components.month = parts[1]
        components.day = parts[2]
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.date(from: components)
    }

    static func startOfToday() -> Date {
        let now = Date().timeIntervalSince1970
        return Date(timeIntervalSince1970: (now / 86_400).rounded(.down) * 86_400)
    }
}
