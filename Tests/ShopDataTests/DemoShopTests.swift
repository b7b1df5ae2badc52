import Domain
import Foundation
@testable import ShopData
import Testing

@Suite("Demo shop generator")
struct DemoShopTests {
    static let small = DemoShopConfiguration(products: 1_200, users: 2_000, months: 3, seed: 7)

    static func events(_ configuration: DemoShopConfiguration) throws -> (DemoCatalog, [Interaction], DemoShopSummary) {
        let generator = DemoShopGenerator(configuration: configuration)
        let catalog = generator.makeCatalog()
        var events: [Interaction] = []
        let summary = try generator.generateEvents(catalog: catalog) { events.append($0) }
        return (catalog, events, summary)
    }

    @Test func sameSeedSameShopOtherSeedOtherShop() throws {
        let (catalogA, eventsA, _) = try Self.events(Self.small)
        let (catalogB, eventsB, _) = try Self.events(Self.small)
        #expect(catalogA.products == catalogB.products)
        #expect(eventsA == eventsB)
        var other = Self.small
        other.seed = 8
        let (catalogC, eventsC, _) = try Self.events(other)
        #expect(catalogC.products != catalogA.products)
        #expect(eventsC != eventsA)
    }

    @Test func catalogLooksLikeAShop() {
        let catalog = DemoShopGenerator(configuration: Self.small).makeCatalog()
        let products = catalog.products
        #expect(products.count == 1_200)
        #expect(Set(products.map(\.id)).count == products.count)
        #expect(Set(products.map(\.category)).count == 12)
        #expect(products.allSatisfy { !$0.name.isEmpty && !$0.description.isEmpty && $0.price > 0 })
        let share = { (count: Int) in Double(count) / Double(products.count) }
        let promoted = share(products.filter(\.promoted).count)
        let outOfStock = share(products.filter { !$0.isAvailable }.count)
        let since = Self.small.endDate.addingTimeInterval(-30 * 86_400)
        let newArrivals = share(products.filter { $0.createdAt >= since }.count)
        #expect(promoted > 0.025 && promoted < 0.08)
        #expect(outOfStock > 0.03 && outOfStock < 0.1)
        #expect(newArrivals > 0.025 && newArrivals < 0.08)
        // Prices are per category: lighting costs more than stationery.
        func median(_ category: String) -> Double {
            let prices = products.filter { $0.category == category }.map(\.price).sorted()
            return prices[prices.count / 2]
        }
        #expect(median("Lighting") > 2 * median("Stationery"))
    }

    @Test func eventsHaveFunnelBasketsAndPopularityStructure() throws {
        let (catalog, events, summary) = try Self.events(Self.small)
        let views = events.filter { $0.type == .view }.count
        let carts = events.filter { $0.type == .cartAdd }.count
        let purchases = events.filter { $0.type == .purchase }
        #expect(views > carts && carts > 0 && purchases.count > 0)
        #expect(summary.totalEvents == events.count)
        #expect(summary.activeUsers > 1_000 && summary.activeUsers < 2_000, "some users stay cold-start")
        // Time order, inside the history, never before the product existed.
        let start = Self.small.startDate, end = Self.small.endDate
        let products = StaticProductCatalog(catalog.products)
        #expect(zip(events, events.dropFirst()).allSatisfy { $0.occurredAt <= $1.occurredAt })
        #expect(events.allSatisfy { $0.occurredAt >= start && $0.occurredAt < end })
        #expect(events.allSatisfy { products.product($0.productID)!.createdAt <= $0.occurredAt })
        // Purchases come in baskets with values; many baskets hold several items.
        #expect(purchases.allSatisfy { $0.basketID != nil && $0.value > 0 && $0.quantity >= 1 })
        let basketSizes = Dictionary(grouping: purchases, by: { $0.basketID! }).values.map(\.count)
        #expect(basketSizes.count == summary.baskets)
        #expect(Double(basketSizes.filter { $0 > 1 }.count) / Double(basketSizes.count) > 0.2)
        // Zipf: the top 10% of products draw a large share of views.
        var viewCounts: [ProductID: Int] = [:]
        for event in events where event.type == .view { viewCounts[event.productID, default: 0] += 1 }
        let sorted = viewCounts.values.sorted(by: >)
        let top = sorted.prefix(catalog.products.count / 10).reduce(0, +)
        #expect(Double(top) / Double(views) > 0.35)
    }

    @Test func usersKeepToTheirTastes() throws {
        let (catalog, events, _) = try Self.events(Self.small)
        let category = Dictionary(uniqueKeysWithValues: catalog.products.map { ($0.id, $0.category) })
        var perUser: [UserID: [String: Int]] = [:]
        for event in events where event.type == .view { perUser[event.userID, default: [:]][category[event.productID]!, default: 0] += 1 }
        let engaged = perUser.values.filter { $0.values.reduce(0, +) >= 10 }
        #expect(engaged.count > 20)
        // Uniform browsing over 12 categories would give a top share near 1/12 plus noise.
        let topShares = engaged.map { Double($0.values.max()!) / Double($0.values.reduce(0, +)) }
        #expect(topShares.reduce(0, +) / Double(topShares.count) > 0.3)
    }

    @Test func writerProducesFilesTheImportParsersAccept() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("demo-shop-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let configuration = DemoShopConfiguration(products: 300, users: 200, months: 2, seed: 3)
        let summary = try DemoShopWriter(configuration: configuration).write(to: directory)
        let productLines = try String(contentsOf: directory.appendingPathComponent("products.ndjson"), encoding: .utf8)
            .split(separator: "\n")
        let eventLines = try String(contentsOf: directory.appendingPathComponent("events.ndjson"), encoding: .utf8)
            .split(separator: "\n")
        #expect(productLines.count == 300)
        #expect(eventLines.count == summary.totalEvents)
        let expected = DemoShopGenerator(configuration: configuration).makeCatalog().products
        for (index, line) in productLines.enumerated() {
            let record = ImportRecord(line: index + 1, fields: try #require(FlatJSONObject.parse(String(line))))
            let product = try CatalogRecordParser.product(from: record, now: Date())
            #expect(product.id == expected[index].id)
            #expect(product.name == expected[index].name)
            #expect(abs(product.price - expected[index].price) < 0.005)
            #expect(product.stockQuantity == expected[index].stockQuantity)
            #expect(product.createdAt == expected[index].createdAt)
            #expect(product.promoted == expected[index].promoted)
        }
        for (index, line) in eventLines.enumerated() {
            let record = ImportRecord(line: index + 1, fields: try #require(FlatJSONObject.parse(String(line))))
            _ = try EventRecordParser.event(from: record)
        }
    }
}
