import Domain
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Synthetic shoppers against a running HybridRank (loopback only, bounded in count and time).
///
/// Each shopper has a hidden favourite category. A warm-up gives every shopper a few purchases
/// in it (so personalised ranking has something to learn from); then shoppers open the
/// homepage, click items with a probability that grows with true relevance (favourite category)
/// and falls with position, add clicked items to the cart and buy some. Every event carries the
/// `request_id` of the response it came from, so the service attributes it to the variant.
public struct ShopperSimulator: Sendable {
    public struct Configuration: Sendable {
        public var baseURL: URL
        public var shoppers: Int = 200
        public var sessionsPerShopper: Int = 3
        /// Hard limits: the run stops at whichever comes first.
        public var maxDuration: TimeInterval = 60
        public var maxRequests: Int = 20_000
        public var concurrency: Int = 8
        public var seed: UInt64 = 1
        public var userPrefix: String = "sim"
        public var warmupPurchases: Int = 3
        /// Click probability at position 1 for a relevant and an irrelevant item.
        public var clickRelevant: Double = 0.30
        public var clickIrrelevant: Double = 0.03
        public var cartRate: Double = 0.4
        public var purchaseRate: Double = 0.5
        public var limit: Int = 10
        /// Sent as `Authorization: Bearer` on every request (an `ingest` key, as a shop page
        /// would); nil sends none (a service in open mode).
        public var apiKey: String? = nil

        public init(baseURL: URL) {
            self.baseURL = baseURL
        }
    }

    public struct Report: Sendable, CustomStringConvertible {
        public var requests = 0
        public var impressions = 0
        public var clicks = 0
        public var cartAdds = 0
        public var purchases = 0
        public var errors = 0
        public var byVariant: [String: (exposures: Int, clicks: Int)] = [:]

        public var description: String {
            var text = "requests \(requests), impressions \(impressions), clicks \(clicks), cart adds \(cartAdds), purchases \(purchases), errors \(errors)"
            for (variant, counts) in byVariant.sorted(by: { $0.key < $1.key }) {
                let ctr = counts.exposures > 0 ? Double(counts.clicks) / Double(counts.exposures) : 0
                text += "\n  \(variant): \(counts.exposures) responses, \(counts.clicks) clicks (\(String(format: "%.3f", ctr)) per response)"
            }
            return text
        }
    }

    public struct LoopbackOnlyError: Error, CustomStringConvertible {
        public var description: String { "simulate only targets loopback addresses (127.0.0.0/8, localhost, ::1)" }
    }

    public let configuration: Configuration

    public init(configuration: Configuration) throws {
        let host = configuration.baseURL.host ?? ""
        guard host == "localhost" || host.hasPrefix("127.") || host == "::1" || host == "[::1]" else {
            throw LoopbackOnlyError()
        }
        self.configuration = configuration
    }

    struct Item: Decodable {
        var product_id: String
        var category: String
        var price: Double
    }

    struct Page: Decodable {
        var request_id: String
        var items: [Item]
        var experiment: Experiment?
        struct Experiment: Decodable {
            var key: String
            var variant: String
        }
    }

    public func run() async throws -> Report {
        let deadline = Date().addingTimeInterval(configuration.maxDuration)
        let budget = RequestBudget(limit: configuration.maxRequests)
        // Learn the categories from a cold homepage.
        let cold = try await page(path: "/v1/recommendations/homepage?limit=100", budget: budget)
        var productsByCategory: [String: [Item]] = [:]
        for item in cold?.items ?? [] where !item.category.isEmpty { productsByCategory[item.category, default: []].append(item) }
        let categories = productsByCategory.keys.sorted().filter { (productsByCategory[$0]?.count ?? 0) >= 2 }
        guard !categories.isEmpty else { return Report() }

        var rng = SplitMix64(seed: configuration.seed)
        let favourites = (0..<configuration.shoppers).map { _ in categories[Int(rng.next() % UInt64(categories.count))] }

        // Warm-up purchases in each shopper's favourite category.
        var warmup: [[String: Any]] = []
        for shopper in 0..<configuration.shoppers {
            let items = productsByCategory[favourites[shopper]] ?? []
            for n in 0..<min(configuration.warmupPurchases, items.count) {
                let item = items[(shopper + n) % items.count]
                warmup.append([
                    "user_id": userID(shopper), "product_id": item.product_id, "event": "purchase", "quantity": 1,
                    "value": item.price, "basket_id": "\(userID(shopper))-warmup", "event_id": "\(userID(shopper))-w\(n)",
                ])
            }
        }
        for chunk in stride(from: 0, to: warmup.count, by: 500) {
            try await post(events: Array(warmup[chunk..<min(chunk + 500, warmup.count)]), budget: budget)
        }

        let report = ReportBox()
        let configuration = self.configuration
        try await withThrowingTaskGroup(of: Void.self) { group in
            var next = 0
            func addShopper(_ shopper: Int) {
                let seed = configuration.seed &+ UInt64(shopper) &* 0x9E37_79B9_7F4A_7C15
                group.addTask {
                    var rng = SplitMix64(seed: seed)
                    for _ in 0..<configuration.sessionsPerShopper {
                        guard Date() < deadline, await budget.take() else { return }
                        await self.session(shopper: shopper, favourite: favourites[shopper], rng: &rng, report: report, budget: budget)
                    }
                }
            }
            while next < min(configuration.concurrency, configuration.shoppers) {
                addShopper(next)
                next += 1
            }
            while try await group.next() != nil {
                if next < configuration.shoppers, Date() < deadline {
                    addShopper(next)
                    next += 1
                }
            }
        }
        return await report.value
    }

    private func userID(_ shopper: Int) -> String { "\(configuration.userPrefix)-\(shopper)" }

    private func session(shopper: Int, favourite: String, rng: inout SplitMix64, report: ReportBox, budget: RequestBudget) async {
        let user = userID(shopper)
        guard let page = try? await page(path: "/v1/recommendations/homepage?user_id=\(user)&limit=\(configuration.limit)", budget: nil)
        else {
            await report.update { $0.errors += 1 }
            return
        }
        var events: [[String: Any]] = []
        var clicks = 0
        var carts = 0
        var purchases = 0
        let basket = "\(user)-\(page.request_id)"
        for (position, item) in page.items.enumerated() {
            let base = item.category == favourite ? configuration.clickRelevant : configuration.clickIrrelevant
            let probability = base / (1 + 0.15 * Double(position))
            guard rng.unitDouble() < probability else { continue }
            clicks += 1
            events.append(["user_id": user, "product_id": item.product_id, "event": "recommendation_click", "request_id": page.request_id])
            guard rng.unitDouble() < configuration.cartRate else { continue }
            carts += 1
            events.append(["user_id": user, "product_id": item.product_id, "event": "cart_add", "request_id": page.request_id])
            guard rng.unitDouble() < configuration.purchaseRate else { continue }
            purchases += 1
            events.append([
                "user_id": user, "product_id": item.product_id, "event": "purchase", "quantity": 1, "value": item.price,
                "request_id": page.request_id, "basket_id": basket,
            ])
        }
        var failed = false
        if !events.isEmpty {
            do { try await post(events: events, budget: budget) } catch { failed = true }
        }
        let variant = page.experiment?.variant ?? "none"
        await report.update {
            $0.requests += 1
            $0.impressions += page.items.count
            $0.clicks += clicks
            $0.cartAdds += carts
            $0.purchases += purchases
            if failed { $0.errors += 1 }
            let counts = $0.byVariant[variant] ?? (0, 0)
            $0.byVariant[variant] = (counts.exposures + 1, counts.clicks + clicks)
        }
    }

    private func page(path: String, budget: RequestBudget?) async throws -> Page? {
        if let budget, !(await budget.take()) { return nil }
        var request = URLRequest(url: URL(string: configuration.baseURL.absoluteString + path)!)
        if let key = configuration.apiKey { request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization") }
        let (data, response) = try await URLSession.shared.data(for: request)
        guard (response as? HTTPURLResponse)?.statusCode == 200 else { return nil }
        return try JSONDecoder().decode(Page.self, from: data)
    }

    private func post(events: [[String: Any]], budget: RequestBudget) async throws {
        guard await budget.take() else { return }
        var request = URLRequest(url: URL(string: configuration.baseURL.absoluteString + "/v1/events")!)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        if let key = configuration.apiKey { request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization") }
        request.httpBody = try JSONSerialization.data(withJSONObject: events)
        let (_, response) = try await URLSession.shared.data(for: request)
        guard (response as? HTTPURLResponse)?.statusCode == 202 else { throw URLError(.badServerResponse) }
    }
}

/// The run's request budget (bounded load, whatever the concurrency).
actor RequestBudget {
    private var remaining: Int
    init(limit: Int) { remaining = limit }
    func take() -> Bool {
        guard remaining > 0 else { return false }
        remaining -= 1
        return true
    }
}

actor ReportBox {
    var value = ShopperSimulator.Report()
    func update(_ body: (inout ShopperSimulator.Report) -> Void) { body(&value) }
}
