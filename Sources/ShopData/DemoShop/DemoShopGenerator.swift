import Domain
import Foundation

/// Generates a believable synthetic shop, deterministically for a seed: a catalog in twelve
/// categories (log-normal prices per category, some out of stock, ~5% promoted, ~5% new
/// arrivals) and months of shopper sessions — views, cart adds, purchases in baskets — from users
/// with latent tastes (favourite categories, a preferred price level and a price sensitivity).
///
/// Structure the ranking stages can find: popularity is Zipf inside each category; every product
/// has a few companions (same or complementary category) that are bought with it; users stay
/// with their favourite categories and price level. Events come out in time order, one day at a
/// time, through a sink, so 50,000 users need no event array in memory.
public struct DemoShopGenerator: Sendable {
    public let configuration: DemoShopConfiguration

    public init(configuration: DemoShopConfiguration = DemoShopConfiguration()) {
        self.configuration = configuration
    }

    // MARK: Catalog

    /// The products and the hidden popularity and co-purchase structure.
    /// - Complexity: O(products · log products).
    public func makeCatalog() -> DemoCatalog {
        let config = configuration
        let categories = config.categories
        precondition(!categories.isEmpty, "the demo shop needs at least one category")
        var random = SeededRandom(seed: config.seed)
        let styles = [
            "Nordic", "Classic", "Rustic", "Modern", "Vintage", "Coastal", "Heritage", "Minimal", "Botanical", "Cottage",
            "Studio", "Harbour",
        ]
        let colours = ["Sage", "Ivory", "Charcoal", "Terracotta", "Ochre", "Navy", "Blush", "Moss", "Sand", "Slate", "Rust", "Teal"]
        let shareSums = categories.reduce(into: [Double]()) { $0.append(($0.last ?? 0) + $1.share) }
        let end = config.endDate.timeIntervalSince1970
        let start = config.startDate.timeIntervalSince1970
        let newArrivalSpan = Double(config.newArrivalDays) * 86_400

        var products: [Product] = []
        products.reserveCapacity(config.products)
        var categoryIndex: [Int] = []
        var createdAt: [Double] = []
        var usedNames = Set<String>()
        for number in 0..<config.products {
            let c = random.pick(cumulative: shareSums)
            let category = categories[c]
            let style = styles[random.below(styles.count)]
            let material = category.materials[random.below(category.materials.count)]
            let noun = category.nouns[random.below(category.nouns.count)]
            var name = "\(style) \(material) \(noun)"
            if usedNames.contains(name) { name = "\(style) \(colours[random.below(colours.count)]) \(material) \(noun)" }
            if usedNames.contains(name) { name += " No. \(number % 97 + 2)" }
            usedNames.insert(name)

            let use = category.uses[random.below(category.uses.count)]
            let description =
                "A \(style.lowercased()) \(noun.lowercased()) in \(material.lowercased()), \(use). Part of our \(category.name.lowercased()) range."
            let rawPrice = category.medianPrice * exp(category.priceSpread * random.normal())
            let price = max(0.99, (rawPrice.rounded(.down) + (rawPrice < 10 ? 0.49 : 0.99)))

            let outOfStock = random.chance(config.outOfStockShare)
            let stock = outOfStock ? 0 : 1 + Int(-log(max(random.unit(), 1e-9)) * 60)
            let promoted = random.chance(config.promotedShare)
            let created: Double
            if random.chance(config.newArrivalShare) {
                created = end - random.unit() * newArrivalSpan
            } else if random.chance(0.15) {
                created = start + random.unit() * max(0, end - newArrivalSpan - start)  // added during the history
            } else {
                created = start - random.unit() * 730 * 86_400
            }
            let createdDate = Date(timeIntervalSince1970: created.rounded(.down))
            products.append(
                Product(
                    id: Self.productID(number),
                    name: name,
                    description: description,
                    category: category.name,
                    price: price,
                    currency: "GBP",
                    stockQuantity: stock,
                    inStock: stock > 0,
                    promoted: promoted,
                    createdAt: createdDate,
                    updatedAt: createdDate
                )
            )
            categoryIndex.append(c)
            createdAt.append(createdDate.timeIntervalSince1970)
        }

        // Zipf popularity inside each category, over a random rank order.
        var productsByCategory = [[Int]](repeating: [], count: categories.count)
        for (index, c) in categoryIndex.enumerated() { productsByCategory[c].append(index) }
        var cumulativePopularity: [[Double]] = []
        for c in categories.indices {
            var members = productsByCategory[c]
            for i in stride(from: members.count - 1, to: 0, by: -1) { members.swapAt(i, random.below(i + 1)) }
            productsByCategory[c] = members
            var sum = 0.0
            cumulativePopularity.append(
                members.indices.map { rank in
                    sum += 1 / pow(Double(rank + 1), config.zipfExponent)
                    return sum
                })
        }

        let complementCategories = categories.map { category in
            category.complements.compactMap { name in categories.firstIndex { $0.name == name } }
        }
        // Companions: half from the same category, half from a complementary one, popularity-weighted.
        var companions: [[Int]] = []
        companions.reserveCapacity(products.count)
        for index in products.indices {
            let c = categoryIndex[index]
            var chosen: [Int] = []
            let count = 2 + random.below(3)
            var attempts = 0
            while chosen.count < count, attempts < count * 4 {
                attempts += 1
                var target = c
                if !complementCategories[c].isEmpty, random.chance(0.5) {
                    target = complementCategories[c][random.below(complementCategories[c].count)]
                }
                guard !productsByCategory[target].isEmpty else { continue }
                let pick = productsByCategory[target][random.pick(cumulative: cumulativePopularity[target])]
                if pick != index, !chosen.contains(pick) { chosen.append(pick) }
            }
            companions.append(chosen)
        }
        return DemoCatalog(
            products: products,
            categoryIndex: categoryIndex,
            productsByCategory: productsByCategory,
            cumulativePopularity: cumulativePopularity,
            companions: companions,
            complementCategories: complementCategories,
            createdAtSeconds: createdAt
        )
    }

    public static func productID(_ number: Int) -> ProductID { "P" + Self.padded(number + 1, width: 6) }
    public static func userID(_ number: Int) -> UserID { "U" + Self.padded(number + 1, width: 6) }

    static func padded(_ value: Int, width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    // MARK: Users and events

    /// A user's hidden tastes.
    struct Taste {
        var cumulativeCategories: [Double]
        /// Multiplies each category's median price: the price level the user likes.
        var priceLevel: Double
        /// How strongly prices away from that level put the user off.
        var priceSensitivity: Double
    }

    /// Simulates the sessions of every user over the history and hands each event to `sink`,
    /// in time order.
    /// - Complexity: O(sessions · events per session · log products).
    @discardableResult
    public func generateEvents(catalog: DemoCatalog, into sink: (Interaction) throws -> Void) throws -> DemoShopSummary {
        let config = configuration
        let categories = config.categories
        var summary = DemoShopSummary(catalog: catalog, configuration: config)
        guard config.users > 0, !catalog.products.isEmpty else { return summary }

        // Users: tastes and activity from their own stream, so they do not depend on the catalog size.
        var userRandom = SeededRandom(seed: config.seed ^ 0x5553_4552_5321)
        var tastes: [Taste] = []
        tastes.reserveCapacity(config.users)
        var activitySums: [Double] = []
        activitySums.reserveCapacity(config.users)
        var activityTotal = 0.0
        for _ in 0..<config.users {
            var sum = 0.0
            let favourite = userRandom.below(categories.count)
            let cumulative = categories.indices.map { c -> Double in
                var weight = categories[c].share * exp(1.5 * userRandom.normal())
                if c == favourite { weight *= 6 }
                sum += weight
                return sum
            }
            tastes.append(
                Taste(
                    cumulativeCategories: cumulative,
                    priceLevel: exp(0.45 * userRandom.normal()),
                    priceSensitivity: 0.5 + 1.5 * userRandom.unit()
                ))
            // Log-normal activity: a few heavy shoppers, many occasional ones.
            activityTotal += exp(1.1 * userRandom.normal())
            activitySums.append(activityTotal)
        }

        var random = SeededRandom(seed: config.seed ^ 0x4556_454E_5453)
        let start = config.startDate.timeIntervalSince1970
        let end = config.endDate.timeIntervalSince1970
        let days = max(1, Int(((end - start) / 86_400).rounded(.down)))
        let totalSessions = Int((Double(config.users) * config.sessionsPerUser).rounded())
        // Day weights: weekends busier, and a gentle growth over the history.
        let dayWeights = (0..<days).map { day -> Double in
            let weekday = (Int((start / 86_400).rounded(.down)) + day + 4) % 7  // 0 = Sunday
            return (weekday == 0 || weekday == 6 ? 1.3 : 1.0) * (0.85 + 0.3 * Double(day) / Double(days))
        }
        let weightTotal = dayWeights.reduce(0, +)
        var carried = 0.0
        var basketNumber = 0
        var sessionStarts: [(time: Double, user: Int)] = []
        var dayEvents: [Interaction] = []
        for day in 0..<days {
            carried += Double(totalSessions) * dayWeights[day] / weightTotal
            let sessionsToday = Int(carried.rounded(.down))
            carried -= Double(sessionsToday)
            let dayStart = start + Double(day) * 86_400
            sessionStarts.removeAll(keepingCapacity: true)
            for _ in 0..<sessionsToday {
                // Shopping hours 07:00–23:00, busiest in the evening.
                let hour = 7 + 16 * pow(random.unit(), 0.7)
                sessionStarts.append((dayStart + (hour * 3600).rounded(.down), random.pick(cumulative: activitySums)))
            }
            sessionStarts.sort { $0.time != $1.time ? $0.time < $1.time : $0.user < $1.user }
            // Sessions overlap: collect the day's events and hand them out in time order.
            dayEvents.removeAll(keepingCapacity: true)
            for session in sessionStarts where session.time < end {
                simulateSession(
                    user: session.user, start: session.time, end: end, taste: tastes[session.user], catalog: catalog,
                    random: &random, basketNumber: &basketNumber, summary: &summary, sink: { dayEvents.append($0) }
                )
            }
            let order = dayEvents.indices.sorted { lhs, rhs in
                dayEvents[lhs].occurredAt != dayEvents[rhs].occurredAt
                    ? dayEvents[lhs].occurredAt < dayEvents[rhs].occurredAt : lhs < rhs
            }
            for index in order { try sink(dayEvents[index]) }
        }
        return summary
    }

    private func simulateSession(
        user: Int,
        start: Double,
        end: Double,
        taste: Taste,
        catalog: DemoCatalog,
        random: inout SeededRandom,
        basketNumber: inout Int,
        summary: inout DemoShopSummary,
        sink: (Interaction) -> Void
    ) {
        let userID = Self.userID(user)
        var time = start
        var cart: [Int] = []
        let mainCategory = random.pick(cumulative: taste.cumulativeCategories)

        func emit(_ product: Int, _ type: InteractionType, quantity: Int = 1, value: Double = 0, basket: String? = nil) {
            guard time < end else { return }
            sink(
                Interaction(
                    userID: userID, productID: catalog.products[product].id, type: type, quantity: quantity, value: value,
                    basketID: basket, occurredAt: Date(timeIntervalSince1970: time)
                ))
            summary.count(type, user: user)
        }

        let views = 1 + random.poisson(mean: 3)
        for _ in 0..<views {
            var category = mainCategory
            let complements = catalog.complementCategories[mainCategory]
            if !complements.isEmpty, random.chance(0.15) { category = complements[random.below(complements.count)] }
            guard let product = pickProduct(in: category, at: time, taste: taste, catalog: catalog, random: &random) else { continue }
            emit(product, .view)
            time += 20 + Double(random.below(160))
            if random.chance(0.03) {
                emit(product, .wishlistAdd)
                time += 5
            }
            if catalog.products[product].inStock, random.chance(0.22), !cart.contains(product) {
                emit(product, .cartAdd)
                cart.append(product)
                time += 10 + Double(random.below(50))
            }
        }
        guard !cart.isEmpty else { return }
        // Second thoughts.
        for product in cart where cart.count > 1 && random.chance(0.08) {
            emit(product, .cartRemove)
            cart.removeAll { $0 == product }
            time += 10
        }
        guard random.chance(0.55) else { return }
        // Companions join the basket: this is the co-purchase structure.
        for product in cart {
            for companion in catalog.companions[product]
            where catalog.createdAtSeconds[companion] <= time && catalog.products[companion].inStock && !cart.contains(companion)
                && random.chance(0.3)
            {
                emit(companion, .cartAdd)
                cart.append(companion)
                time += 15
            }
        }
        time += 60 + Double(random.below(240))
        guard time < end else { return }
        basketNumber += 1
        let basket = "B" + Self.padded(basketNumber, width: 7)
        for product in cart {
            let roll = random.unit()
            let quantity = roll < 0.7 ? 1 : (roll < 0.9 ? 2 : 3 + random.below(4))
            let value = (Double(quantity) * catalog.products[product].price * 100).rounded() / 100
            emit(product, .purchase, quantity: quantity, value: value, basket: basket)
        }
        summary.baskets += 1
    }

    /// A product of `category` that exists at `time`, drawn by popularity and kept with a
    /// probability that falls with the distance of its price from the user's level.
    private func pickProduct(in category: Int, at time: Double, taste: Taste, catalog: DemoCatalog, random: inout SeededRandom) -> Int? {
        let members = catalog.productsByCategory[category]
        guard !members.isEmpty else { return nil }
        let median = configuration.categories[category].medianPrice * taste.priceLevel
        var fallback: Int?
        for _ in 0..<6 {
            let product = members[random.pick(cumulative: catalog.cumulativePopularity[category])]
            guard catalog.createdAtSeconds[product] <= time else { continue }
            fallback = product
            let distance = log(catalog.products[product].price / median)
            if random.chance(exp(-taste.priceSensitivity * distance * distance)) { return product }
        }
        return fallback
    }
}
