import Candidates
import Domain
import Experiments
import Foundation
import Hummingbird
import NIOCore
import NIOPosix
import Rerank
import Rules
import Testing

@testable import Engine
@testable import Ranking
@testable import Server
import Support

/// Pure pieces of the service, tested without servers.
struct ServerLogicTests {
    @Test func encodedEventsRoundTripIncludingPipesInProductIDs() {
        let event = Interaction(
            userID: "u1", productID: "odd|id", type: .cartAdd, quantity: 3, value: 12.5,
            occurredAt: Date(timeIntervalSince1970: 1_700_000_000))
        let decoded = EncodedEvent.decode(EncodedEvent.encode(event), user: "u1")
        #expect(decoded == event)
        #expect(EncodedEvent.decode("teleport|1|1|0|p", user: "u") == nil)
        #expect(EncodedEvent.decode("view|x|1|0|p", user: "u") == nil)
        // Redis replies are decoded from their bytes.
        #expect(EncodedEvent.decode(Array(EncodedEvent.encode(event).utf8), user: "u1") == event)
        #expect(EncodedEvent.decode(Array("purchase|1700000000|2|3.25|P0001".utf8), user: "u")?.value == 3.25)
        for bad in ["view|1|1|0", "view||1|0|p", "view|1|1|x|p", "", "view|1|1.5|0|p"] {
            #expect(EncodedEvent.decode(Array(bad.utf8), user: "u") == nil, "\(bad)")
        }
        #expect(EncodedEvent.decode("view|-5|1|0.0|p", user: "u")?.occurredAt == Date(timeIntervalSince1970: -5))
        #expect(EncodedEvent.decode("cart_add|1|1|0|a|b|c", user: "u")?.productID == "a|b|c")
        #expect(EncodedEvent.decode("view|1|+1|0|p", user: "u") == nil, "only plain decimal integers")
        // Every type by name, and the zero value's fast path against the general parse.
        for type in InteractionType.allCases {
            let typed = Interaction(
                userID: "u", productID: "p", type: type, quantity: 1, value: 0, occurredAt: Date(timeIntervalSince1970: 7))
            #expect(EncodedEvent.decode(Array(EncodedEvent.encode(typed).utf8), user: "u") == typed, "\(type)")
        }
        #expect(EncodedEvent.decode("views|1|1|0|p", user: "u") == nil)
        #expect(EncodedEvent.decode("vie|1|1|0|p", user: "u") == nil)
        for (text, value) in [("0.0", 0.0), ("0", 0.0), ("0.05", 0.05), ("-0.0", -0.0), ("10.0", 10.0), ("0.00", 0.0)] {
            let decoded = EncodedEvent.decode("purchase|1|1|\(text)|p", user: "u")?.value
            #expect(decoded == value && decoded?.sign == value.sign, "\(text)")
        }
        #expect(EncodedEvent.decode("purchase|1|1|0.x|p", user: "u") == nil)
        #expect(EncodedEvent.decode("view|99999999999999999999|1|0|p", user: "u") == nil, "overflow")
    }

    @Test func theOpenAPIDocumentKnowsItsOperationsAndFindsAnUndescribedRoute() {
        #expect(OpenAPIDocument.operations.contains("GET /v1/products/{id}"))
        #expect(OpenAPIDocument.operations.contains("POST /v1/products:batch"))
        #expect(OpenAPIDocument.operations.contains("POST /v1/experiments/{key}/stop"))
        #expect(!OpenAPIDocument.operations.contains("DELETE /v1/search"))
        let router = Router()
        router.get("/health") { _, _ in "ok" }
        router.group("v1").get("products/{id}") { _, _ in "p" }.delete("search") { _, _ in "?" }
        #expect(OpenAPIDocument.undocumented(router.routes) == ["DELETE /v1/search"])
    }

    @Test func httpThreadsDefaultToOnePerTwoCoresAndComeFromTheEnvironment() {
        #expect(ServiceConfiguration().httpThreads == max(1, System.coreCount / 2))
        #expect(ServiceConfiguration(environment: ["HYBRIDRANK_HTTP_THREADS": "3"]).httpThreads == 3)
        #expect(ServiceConfiguration(environment: ["HYBRIDRANK_HTTP_THREADS": "0"]).httpThreads == ServiceConfiguration().httpThreads)
        #expect(ServiceConfiguration(environment: ["HYBRIDRANK_HTTP_THREADS": "two"]).httpThreads == ServiceConfiguration().httpThreads)
    }

    @Test func httpEventLoopGroupsAreSharedPerThreadCount() {
        let three = HTTPEventLoops.group(threads: 3)
        #expect(three === HTTPEventLoops.group(threads: 3), "one group per count for the process")
        #expect(three.makeIterator().reduce(0) { count, _ in count + 1 } == 3)
        #expect(HTTPEventLoops.group(threads: System.coreCount) === MultiThreadedEventLoopGroup.singleton)
    }

    @Test func vectorIndexKindComesFromTheEnvironmentAndBuildsTheNamedIndex() {
        #expect(ServiceConfiguration(environment: [:]).vectorIndex == .exact)
        #expect(ServiceConfiguration(environment: ["HYBRIDRANK_VECTOR_INDEX": "hnsw"]).vectorIndex == .hnswDefault)
        #expect(ServiceConfiguration(environment: ["HYBRIDRANK_VECTOR_INDEX": "annoy"]).vectorIndex == .exact)
        #expect(VectorIndexKind(argument: "HNSW") == .hnswDefault)
        #expect(VectorIndexKind.exact.makeIndex(dimension: 4) is VectorIndex)
        let hnsw = VectorIndexKind.hnswDefault.makeIndex(dimension: 2)
        #expect(hnsw is HNSWIndex)
        hnsw.upsert(Product(id: "a", name: "a"), vector: [1, 0])
        hnsw.upsert(Product(id: "b", name: "b"), vector: [0, 1])
        #expect(hnsw.search([0.9, 0.1], k: 1, filter: .none, excluding: []).first?.productID == "a")
        #expect(hnsw.count == 2)
    }

    @Test func cartFollowsAddsRemovesAndPurchasesNewestFirst() {
        func event(_ product: String, _ type: InteractionType, _ t: Double) -> Interaction {
            Interaction(userID: "u", productID: product, type: type, occurredAt: Date(timeIntervalSince1970: t))
        }
        // Newest first, as the history is stored.
        let history = [
            event("c", .cartAdd, 6), event("a", .purchase, 5), event("b", .cartRemove, 4),
            event("b", .cartAdd, 3), event("a", .cartAdd, 2), event("d", .cartAdd, 1),
        ]
        #expect(ShopperStateStore.cart(from: history) == ["d", "c"])
    }

    @Test func experimentRouterAssignsRunningExperimentsOnlyAndIsSticky() {
        var experiment = Experiment(
            key: "exp", widgets: [.homepage], status: .running,
            variants: [
                ExperimentVariant(key: "control", weight: 0.5),
                ExperimentVariant(key: "treatment", weight: 0.5, parameters: VariantParameters(alpha: 0.9)),
            ])
        let router = ExperimentRouter(experiments: [experiment])
        let defaults = PipelineOptions()
        var seen: [String: Int] = [:]
        for n in 0..<2000 {
            let user = "user-\(n)"
            let (options, selection) = router.route(widget: .homepage, userID: user, defaults: defaults, now: Date())
            let again = router.route(widget: .homepage, userID: user, defaults: defaults, now: Date()).selection
            #expect(selection?.variantKey == again?.variantKey)
            let expected = ExperimentAssigner.assign(unitID: user, experiment: experiment)
            #expect(selection?.variantIndex == expected.variation)
            if selection?.variantKey == "treatment" { #expect(options.weights.content == 0.9) }
            seen[selection?.variantKey ?? "none", default: 0] += 1
        }
        #expect((900...1100).contains(seen["control"] ?? 0))
        #expect(router.route(widget: .cart, userID: "user-1", defaults: defaults, now: Date()).selection == nil)
        #expect(router.route(widget: .homepage, userID: nil, defaults: defaults, now: Date()).selection == nil)
        experiment.status = .stopped
        router.replace(with: [experiment])
        #expect(router.route(widget: .homepage, userID: "user-1", defaults: defaults, now: Date()).selection == nil)
    }

    @Test func queryReaderNamesTheFieldOfEveryBadValue() throws {
        let query = QueryReader(["limit": "abc", "price_min": "cheap", "explain": "maybe", "n": "500", "ok": "7"])
        #expect(throws: APIError.self) { try query.int("limit", default: 10, range: 1...100) }
        do {
            _ = try query.int("n", default: 10, range: 1...100)
            Issue.record("out of range accepted")
        } catch let error as APIError {
            #expect(error.field == "n")
            #expect(error.code == "invalid_parameter")
        }
        #expect(try query.int("ok", default: 1, range: 1...10) == 7)
        #expect(try query.int("absent", default: 4, range: 1...10) == 4)
        #expect(throws: APIError.self) { try query.double("price_min") }
        #expect(throws: APIError.self) { try query.bool("explain", default: false) }
        #expect(throws: APIError.self) { try query.requiredString("q") }
    }

    /// A purchase without `value` is valued from the catalog, as an imported one is.
    @Test func aPurchaseWithoutValueIsValuedAtTheCatalogPrice() throws {
        let prices = ["mug": 4.5]
        func value(_ input: EventInput) throws -> Double {
            try input.validated(now: Date(), catalogPrice: { prices[$0] }).value
        }
        #expect(try value(EventInput(userID: "u", productID: "mug", event: "purchase", quantity: 2)) == 9)
        #expect(try value(EventInput(userID: "u", productID: "mug", event: "purchase", quantity: 2, value: 7)) == 7, "a sent value wins")
        #expect(try value(EventInput(userID: "u", productID: "mug", event: "purchase", value: 0)) == 0, "a sent 0 is kept")
        #expect(try value(EventInput(userID: "u", productID: "unknown", event: "purchase")) == 0)
        #expect(try value(EventInput(userID: "u", productID: "mug", event: "cart_add")) == 0, "only purchases carry revenue")
    }

    @Test func eventValidationNamesFieldsWithBatchPrefixes() {
        let now = Date()
        func field(_ input: EventInput) -> String? {
            do {
                _ = try input.validated(now: now, prefix: "events[2].")
                return nil
            } catch let error as APIError {
                return error.field
            } catch {
                return "?"
            }
        }
        #expect(field(EventInput(productID: "p", event: "view")) == "events[2].user_id")
        #expect(field(EventInput(userID: "u", event: "view")) == "events[2].product_id")
        #expect(field(EventInput(userID: "u", productID: "p", event: "buy")) == "events[2].event")
        #expect(field(EventInput(userID: "u", productID: "p", event: "purchase", value: -1)) == "events[2].value")
        #expect(field(EventInput(userID: "u", productID: "p", event: "view", timestamp: now.addingTimeInterval(3600))) == "events[2].timestamp")
        #expect(field(EventInput(userID: "u", productID: "p", event: "purchase", quantity: 2, value: 3)) == nil)
    }

    @Test func bodyDecoderReportsTheCodingPath() {
        let buffer = ByteBuffer(string: #"{"products":[{"product_id":"a","name":"A"},{"product_id":"b","name":"B","price":"x"}]}"#)
        do {
            _ = try BodyDecoder.decode(ProductBatchBody.self, from: buffer)
            Issue.record("accepted a string price")
        } catch let error as APIError {
            #expect(error.field == "products[1].price")
        } catch {
            Issue.record("unexpected \(error)")
        }
        #expect(throws: APIError.self) { try BodyDecoder.decode(ProductBatchBody.self, from: ByteBuffer(string: "{")) }
        let events = try? EventBatchBody.decode(ByteBuffer(string: #"{"events":[{"user_id":"u"},{"user_id":"v"}]}"#))
        #expect(events?.count == 2)
    }

    /// Bodies read times with `ISO8601Text.dateTime`: the forms the API documents, and a day that
    /// does not exist is a 400 naming the field instead of the next month's first.
    @Test func bodyTimesAreReadStrictly() throws {
        func createdAt(_ value: String) -> (Date?, String?) {
            do {
                let body = try BodyDecoder.decode(
                    ProductBatchBody.self, from: ByteBuffer(string: #"{"products":[{"product_id":"a","name":"A","created_at":\#(value)}]}"#))
                return (body.products?.first?.createdAt, nil)
            } catch let error as APIError {
                return (nil, error.field)
            } catch {
                return (nil, "\(error)")
            }
        }
        let expected = Date(timeIntervalSince1970: 1_704_164_645)
        for text in [#""2024-01-02T03:04:05Z""#, #""2024-01-02T03:04:05""#, #""2024-01-02 03:04:05Z""#, #""2024-01-02T04:04:05+01:00""#, "1704164645"] {
            #expect(createdAt(text).0 == expected, "\(text)")
        }
        #expect(createdAt(#""2024-01-02T03:04:05.5Z""#).0 == expected.addingTimeInterval(0.5))
        for text in [#""2024-02-30T00:00:00Z""#, #""2024-01-02""#, #""2024-01-02T03:04Z""#, #""yesterday""#] {
            #expect(createdAt(text).1 == "products[0].created_at", "\(text)")
        }
    }

    @Test func metricsExposePrometheusHistogramsAndCounters() {
        let metrics = ServiceMetrics()
        metrics.recordRequest(route: "/v1/search", method: "GET", status: 200, seconds: 0.003)
        metrics.recordRequest(route: "/v1/search", method: "GET", status: 200, seconds: 0.03)
        metrics.recordStage("rerank", milliseconds: 40)
        metrics.increment("hybridrank_rerank_cache_total", labels: ["result": "hit"], by: 3)
        metrics.registerGauge("hybridrank_exposure_queue_depth") { 7 }
        let text = metrics.prometheusText()
        #expect(text.contains(#"http_server_request_duration_seconds_bucket{http_request_method="GET",http_route="/v1/search",http_response_status_class="2xx",le="0.005"} 1"#))
        #expect(text.contains(#"http_server_request_duration_seconds_count{http_request_method="GET",http_route="/v1/search",http_response_status_class="2xx"} 2"#))
        #expect(text.contains(#"hybridrank_rerank_cache_total{result="hit"} 3.0"#))
        #expect(text.contains("hybridrank_exposure_queue_depth 7.0"))
        #expect(metrics.stageQuantile("rerank", 0.95) == 50)
        // Every family has a HELP line before its TYPE line, a family nobody described too.
        metrics.increment("hybridrank_something_new_total")
        let lines = metricsText(metrics)
        let families = lines.filter { $0.hasPrefix("# TYPE ") }.map { $0.split(separator: " ")[2] }
        #expect(families.count == 5)
        for family in families {
            #expect(lines.contains { $0.hasPrefix("# HELP \(family) ") && $0.count > "# HELP \(family) ".count + 3 }, "\(family)")
        }
    }

    /// Every counter and gauge the sources create has its own HELP text (not the generic one that
    /// keeps an undescribed family valid): found by reading the sources, so a family added later
    /// without a description fails here.
    @Test func everyMetricFamilyTheSourcesCreateIsDescribed() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources")
        let files = try #require(FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil))
        let creation = try NSRegularExpression(pattern: #"(?:increment|registerGauge)\("(hybridrank_[a-z_]+)""#)
        var families = Set<String>()
        for case let file as URL in files where file.pathExtension == "swift" {
            let text = try String(contentsOf: file, encoding: .utf8)
            for match in creation.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                families.insert(String(text[Range(match.range(at: 1), in: text)!]))
            }
        }
        #expect(families.count >= 10, "\(families.sorted())")
        for family in families.sorted() {
            #expect(ServiceMetrics.helpTexts[family] != nil, "\(family) has no HELP text in ServiceMetrics.helpTexts")
        }
    }

    func metricsText(_ metrics: ServiceMetrics) -> [String] {
        metrics.prometheusText().split(separator: "\n").map(String.init)
    }

    @Test func metricSeriesSortTheirLabelsAndEscapeOnlyWhatNeedsIt() {
        #expect(ServiceMetrics.series("c_total", [:]) == "c_total")
        #expect(ServiceMetrics.series("c_total", ["result": "hit"]) == #"c_total{result="hit"}"#)
        #expect(ServiceMetrics.series("c_total", ["z": "1", "a": "2", "m": "3"]) == #"c_total{a="2",m="3",z="1"}"#)
        #expect(ServiceMetrics.series("c_total", ["path": #"a\b"c"#]) == #"c_total{path="a\\b\"c"}"#)
        let metrics = ServiceMetrics()
        metrics.increment("c_total", labels: ["b": "x", "a": "y"])
        metrics.increment("c_total", labels: ["a": "y", "b": "x"], by: 2)
        #expect(metrics.counterValue("c_total", labels: ["b": "x", "a": "y"]) == 3, "label order never splits a series")
    }

    @Test func eventStreamPayloadsDecodeBackToEvents() {
        let events = [
            Interaction(userID: "u1", productID: "p1", type: .purchase, value: 3, basketID: "b1", occurredAt: Date(timeIntervalSince1970: 100)),
            Interaction(userID: "u2", productID: "p2", type: .view, occurredAt: Date(timeIntervalSince1970: 200)),
        ]
        let payload = events.map { "\($0.userID)\u{1F}\(EncodedEvent.encode($0))\u{1F}\($0.basketID ?? "")" }
            .joined(separator: "\u{1E}")
        #expect(EventStreamTail.decode(payload) == events)
    }
}
