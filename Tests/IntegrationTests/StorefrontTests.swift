import Domain
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
@testable import Engine
@testable import ShopData
import Storage
import Testing

/// The demo shop of `scripts/demo.sh` (its generator, seed 42, smaller) through the real service:
/// product pages lead with related items, and the storefront snippet (`/widget.js`, the page in
/// `examples/storefront.html`) renders strips in headless Chromium and reports impressions and
/// clicks that reach PostgreSQL with their response's `request_id` and leave shopper history alone.
/// Serialized and in the isolated step of scripts/test.sh: each test loads the models and embeds
/// the demo catalog, which on a two-core machine pushed the parallel suite's other requests past
/// the test client's 20 s read timeout.
@Suite(.serialized, .enabled(if: ServerTestEnvironment.isolatedTimingRun))
struct StorefrontTests {
    static let shop = DemoShopConfiguration(products: 240, users: 400, months: 2, seed: 42)

    /// The generator's catalog and events, imported through the importer `hybridrank import` uses;
    /// the catalog is then upserted through the API so every product is embedded (what
    /// `hybridrank embed` does for the demo).
    static func withDemoShop(
        _ body: @Sendable (any TestClientProtocol, PostgresClient, DemoCatalog, [Interaction]) async throws -> Void
    ) async throws {
        let generator = DemoShopGenerator(configuration: shop)
        let catalog = generator.makeCatalog()
        var events: [Interaction] = []
        _ = try generator.generateEvents(catalog: catalog) { events.append($0) }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("storefront-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try DemoShopWriter(configuration: shop).write(to: directory)
        let generated = events
        try await ServerTestEnvironment.withServerAndDatabase(
            loadModels: true,
            seed: { postgres in
                let importer = DataImporter(postgres: postgres, showProgress: false)
                _ = try await importer.importCatalog(path: directory.appendingPathComponent(DemoShopWriter.productsFileName).path)
                _ = try await importer.importEvents(path: directory.appendingPathComponent(DemoShopWriter.eventsFileName).path)
            }
        ) { client, postgres in
            // In small batches: each is embedded before it is answered, within the client's timeout.
            for start in stride(from: 0, to: catalog.products.count, by: 8) {
                let slice = Array(catalog.products[start..<min(start + 8, catalog.products.count)])
                let (status, _) = try await client.json("/v1/products:batch", method: .post, body: Self.batch(slice))
                #expect(status == 200)
            }
            try await body(client, postgres, catalog, generated)
        }
    }

    static func batch(_ products: [Product]) -> String {
        let formatter = ISO8601DateFormatter()
        let items: [[String: Any]] = products.map { product in
            var item: [String: Any] = [
                "product_id": product.id, "name": product.name, "description": product.description,
                "category": product.category, "price": product.price, "currency": product.currency,
                "in_stock": product.inStock, "promoted": product.promoted,
                "created_at": formatter.string(from: product.createdAt),
            ]
            if let stock = product.stockQuantity { item["stock_quantity"] = stock }
            return item
        }
        let data = try! JSONSerialization.data(withJSONObject: ["products": items])
        return String(decoding: data, as: UTF8.self)
    }

    /// Pairs of products bought together in the generated history (both orders): in one basket,
    /// or by one customer — the two co-purchase relations the service's co-purchase source uses.
    static func coPurchased(_ events: [Interaction]) -> Set<String> {
        var baskets: [String: Set<ProductID>] = [:]
        var customers: [String: Set<ProductID>] = [:]
        for event in events where event.type == .purchase {
            if let basket = event.basketID { baskets[basket, default: []].insert(event.productID) }
            customers[event.userID, default: []].insert(event.productID)
        }
        var pairs = Set<String>()
        for items in Array(baskets.values) + Array(customers.values) where items.count > 1 {
            for a in items { for b in items where a != b { pairs.insert(a + "|" + b) } }
        }
        return pairs
    }

    /// The `count` products nearest to each product by cosine of the stored bi-encoder vectors
    /// (what `hybridrank embed` and the upserts wrote), computed here, apart from the service.
    static func contentNeighbours(_ postgres: PostgresClient, count: Int) async throws -> [ProductID: Set<ProductID>] {
        let version = try #require(try await postgres.query("SELECT DISTINCT model_version FROM product_embeddings").first)
        let vectors = try await ProductRepository(postgres: postgres).embeddings(modelVersion: try version.string("model_version"))
        func cosine(_ a: [Float], _ b: [Float]) -> Float {
            var dot: Float = 0, na: Float = 0, nb: Float = 0
            for i in a.indices { dot += a[i] * b[i]; na += a[i] * a[i]; nb += b[i] * b[i] }
            return dot / max((na * nb).squareRoot(), 1e-12)
        }
        var neighbours: [ProductID: Set<ProductID>] = [:]
        for (id, vector) in vectors {
            let nearest = vectors.filter { $0.key != id }.map { ($0.key, cosine(vector, $0.value)) }
                .sorted { $0.1 > $1.1 }.prefix(count).map(\.0)
            neighbours[id] = Set(nearest)
        }
        return neighbours
    }

    /// Issue #22: a product page's first items are related to the anchor — same category, bought
    /// with it (one basket or one customer) or among its 20 nearest by content — not the global
    /// fill every product page used to show.
    @Test func demoShopProductPagesLeadWithRelatedItems() async throws {
        try await Self.withDemoShop { client, postgres, catalog, events in
            let pairs = Self.coPurchased(events)
            let neighbours = try await Self.contentNeighbours(postgres, count: 20)
            let byID = Dictionary(uniqueKeysWithValues: catalog.products.map { ($0.id, $0) })
            let anchors = catalog.products.filter(\.inStock).prefix(30)
            let first = 5
            var unrelated: [String] = []
            var shown = 0
            for anchor in anchors {
                let (status, json) = try await client.json("/v1/recommendations/product/\(anchor.id)?limit=10&explain=true")
                #expect(status == 200)
                let ids = productIDs(json)
                #expect(ids.count == 10, "\(anchor.id): \(ids.count) items")
                #expect(!ids.contains(anchor.id), "the anchor is not recommended on its own page")
                for id in ids.prefix(first) {
                    shown += 1
                    let product = try #require(byID[id])
                    let related = product.category == anchor.category || pairs.contains(anchor.id + "|" + id)
                        || neighbours[anchor.id, default: []].contains(id)
                    if !related {
                        let item = ((json["items"] as? [[String: Any]]) ?? []).first { $0["product_id"] as? String == id }
                        unrelated.append("\(anchor.id) (\(anchor.category)) → \(id) (\(product.category)) \(item?["explain"] ?? "")")
                    }
                }
            }
            #expect(shown == anchors.count * first)
            // Found by this test (2026-12-02): shop-wide bestsellers of other categories took about
            // one slot in six of the first five on their popularity alone; the product page's
            // policy (`WidgetProfile.product`) now proposes only related candidates and leaves
            // popularity to the fill.
            #expect(unrelated.isEmpty, "unrelated items in the first \(first): \(unrelated)")
            #expect(unrelated.count * 4 <= shown, "\(unrelated.count) of \(shown) unrelated: \(unrelated)")
        }
    }

    /// `/widget.js` renders the example page's strips from a real running service, reports the
    /// visible strip's impressions (not the one below the fold) and a click, each with the
    /// response's request id, without a console error; impressions do not become history.
    @Test func widgetScriptRendersStripsAndReportsImpressionsAndClicks() async throws {
        try await Self.withDemoShop { client, postgres, _, _ in
            // The script itself: typed, cacheable, revalidated by its ETag.
            let script = try await client.executeRequest(uri: "/widget.js", method: .get, headers: [:], body: nil)
            #expect(script.status == .ok)
            #expect(script.headers[.contentType] == "text/javascript; charset=utf-8")
            #expect(script.headers[.cacheControl] == "public, max-age=3600")
            let etag = try #require(script.headers[.eTag])
            #expect(String(buffer: script.body).contains("recommendation_impression"))
            let revalidated = try await client.executeRequest(uri: "/widget.js", method: .get, headers: [.ifNoneMatch: etag], body: nil)
            #expect(revalidated.status == .notModified)
            #expect(revalidated.body.readableBytes == 0)

            guard let chromium = HeadlessChromium.find() else {
                Issue.record("chromium is not installed (scripts/test.sh installs Debian's package)")
                return
            }
            let port = try #require(client.port)
            let base = "http://127.0.0.1:\(port)"
            let example = try String(
                contentsOf: StorageTestEnvironment.repositoryRoot.appendingPathComponent("examples/storefront.html"), encoding: .utf8)
            #expect(example.contains("http://127.0.0.1:8080"))
            let page = example.replacingOccurrences(of: "http://127.0.0.1:8080", with: base)
                .replacingOccurrences(of: "<head>", with: "<head>" + Self.probe)
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("hr-storefront-\(UUID().uuidString).html")
            try page.write(to: file, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(at: file) }
            let dom = try await chromium.dumpDOM(url: file.absoluteString, windowSize: "1280,900", virtualTimeBudget: 30_000)

            func attribute(_ name: String, of id: String) -> String? {
                guard let element = dom.range(of: #"id="\#(id)""#) else { return nil }
                let tagEnd = dom[element.lowerBound...].firstIndex(of: ">") ?? dom.endIndex
                let tagStart = dom[..<element.lowerBound].lastIndex(of: "<") ?? dom.startIndex
                let tag = dom[tagStart..<tagEnd]
                guard let start = tag.range(of: #"\#(name)=""#) else { return nil }
                return String(tag[start.upperBound...].prefix { $0 != "\"" })
            }
            #expect(attribute("data-probe-errors", of: "probe") == "", "console errors or warnings: \(attribute("data-probe-errors", of: "probe") ?? "none recorded")")
            #expect(attribute("data-probe-posts", of: "probe") == "202,202", "events answered: \(attribute("data-probe-posts", of: "probe") ?? "nothing")")
            #expect(attribute("data-hybridrank-state", of: "related") == "rendered")
            #expect(attribute("data-hybridrank-state", of: "trending") == "rendered")
            let related = try #require(attribute("data-request-id", of: "related"))
            let trending = try #require(attribute("data-request-id", of: "trending"))
            // Six items rendered in the visible strip, each a link to the shop's product page.
            let relatedStart = try #require(dom.range(of: #"id="related""#)).upperBound
            let trendingStart = try #require(dom.range(of: #"id="trending""#)).lowerBound
            let strip = String(dom[relatedStart..<trendingStart])
            #expect(strip.components(separatedBy: #"class="hybridrank-item""#).count - 1 == 6, "\(strip.prefix(600))")
            #expect(strip.contains(##"href="#product-P"##))

            // PostgreSQL holds what the page reported: six impressions and the click for the
            // visible strip, nothing for the strip nobody scrolled to.
            var rows: [String] = []
            for _ in 0..<40 {
                rows = try await postgres.query(
                    "SELECT type || ':' || request_id || ':' || user_id AS row FROM interactions WHERE request_id IN ($1, $2) ORDER BY id",
                    [related, trending]
                ).map { try $0.string("row") }
                if rows.count >= 7 { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(rows.filter { $0 == "recommendation_impression:\(related):U000001" }.count == 6, "\(rows)")
            #expect(rows.filter { $0 == "recommendation_click:\(related):U000001" }.count == 1, "\(rows)")
            #expect(!rows.contains { $0.contains(trending) }, "the strip below the fold reported \(rows)")

            // Impressions are not history: a shopper with only impressions gets the cold-start
            // homepage, while the same products as views personalise it.
            let coldStart = productIDs(try await client.json("/v1/recommendations/homepage?user_id=nobody-yet&limit=10").json)
            let shownIDs = productIDs(try await client.json("/v1/recommendations/product/P000002?limit=6").json)
            func post(_ user: String, _ type: String) async throws {
                let events = shownIDs.map { #"{"user_id":"\#(user)","product_id":"\#($0)","event":"\#(type)","request_id":"req-\#(user)"}"# }
                let (status, _) = try await client.json("/v1/events", method: .post, body: "[\(events.joined(separator: ","))]")
                #expect(status == 202)
            }
            try await post("only-impressions", "recommendation_impression")
            try await post("only-views", "view")
            let afterImpressions = productIDs(try await client.json("/v1/recommendations/homepage?user_id=only-impressions&limit=10").json)
            let afterViews = productIDs(try await client.json("/v1/recommendations/homepage?user_id=only-views&limit=10").json)
            #expect(afterImpressions == coldStart, "impressions changed the homepage")
            #expect(afterViews != coldStart, "views personalise the homepage (the check above could fail)")
            // An impression without the response it belongs to is refused, naming the field.
            let (status, json) = try await client.json(
                "/v1/events", method: .post, body: #"{"user_id":"u","product_id":"P000002","event":"recommendation_impression"}"#)
            #expect(status == 400)
            #expect(errorField(json) == "request_id")
        }
    }

    /// Put first in the example's `<head>`: records console errors and warnings, uncaught errors and
    /// the statuses of `POST /v1/events`; once the visible strip has rendered and reported its
    /// impression it clicks the first item, and when both posts are answered writes what it saw
    /// onto `#probe` for the dumped DOM.
    static let probe = #"""
        <script>
        (function () {
          var errors = [], posts = [];
          window.addEventListener('error', function (e) { errors.push('error: ' + e.message); });
          window.addEventListener('unhandledrejection', function (e) { errors.push('rejection: ' + e.reason); });
          ['error', 'warn'].forEach(function (level) {
            var original = console[level];
            console[level] = function () { errors.push(level + ': ' + Array.prototype.join.call(arguments, ' ')); original.apply(console, arguments); };
          });
          var fetch = window.fetch;
          window.fetch = function (url, options) {
            var result = fetch.apply(window, arguments);
            if (options && options.method === 'POST' && String(url).indexOf('/v1/events') >= 0) {
              result.then(function (r) { posts.push(r.status); }, function (e) { posts.push('failed ' + e); });
            }
            return result;
          };
          var clicked = false, started = Date.now();
          function poll() {
            var related = document.getElementById('related');
            if (!clicked && related && related.getAttribute('data-hybridrank-impression') === 'sent') {
              clicked = true;
              related.querySelector('.hybridrank-item a').click();
            }
            if ((clicked && posts.length >= 2) || Date.now() - started > 25000) {
              var probe = document.createElement('div');
              probe.id = 'probe';
              probe.setAttribute('data-probe-errors', errors.join(' | '));
              probe.setAttribute('data-probe-posts', posts.join(','));
              document.body.appendChild(probe);
              return;
            }
            setTimeout(poll, 50);
          }
          document.addEventListener('DOMContentLoaded', poll);
        })();
        </script>
        """#
}
