import Candidates
import Domain
import Foundation
import Testing
import TestSupport

@Suite struct VectorSearchTests {
    static func products(_ n: Int) -> [Product] {
        (0..<n).map { (i: Int) -> Product in
            let category: String = i % 3 == 0 ? "mugs" : "bags"
            let inStock: Bool = i % 7 != 0
            return Product(
                id: "p\(i)", name: "p\(i)", category: category, price: Double(i % 50), currency: i % 4 == 0 ? "EUR" : "GBP",
                inStock: inStock)
        }
    }

    @Test func exactSearchFindsTheNearestVectors() {
        let index = VectorIndex(dimension: 3)
        index.upsert(Product(id: "x", name: "x"), vector: [1, 0, 0])
        index.upsert(Product(id: "y", name: "y"), vector: [0, 1, 0])
        index.upsert(Product(id: "z", name: "z"), vector: PreferenceVectorHelper.unit([1, 1, 0]))
        let result = index.search([1, 0, 0], k: 2)
        #expect(result.map(\.productID) == ["x", "z"])
    }

    @Test func filtersNeverReturnNonMatchingItemsAndStillFill() {
        let vectors = TestFixtures.randomUnitVectors(count: 500, dimension: 16, seed: 7)
        let products = Self.products(500)
        let exact = VectorIndex(dimension: 16)
        let hnsw = HNSWIndex(dimension: 16, configuration: .init(m: 8, efConstruction: 64, efSearch: 16))
        for (p, v) in zip(products, vectors) {
            exact.upsert(p, vector: v)
            hnsw.upsert(p, vector: v)
        }
        let filter = ProductFilter(category: "mugs", minPrice: 10, maxPrice: 20, inStockOnly: true)
        let matching = products.filter(filter.matches)
        let byID = Dictionary(uniqueKeysWithValues: products.map { ($0.id, $0) })
        for q in TestFixtures.randomUnitVectors(count: 10, dimension: 16, seed: 99) {
            for result in [exact.search(q, k: 20, filter: filter, excluding: []), hnsw.search(q, k: 20, filter: filter, excluding: [])] {
                #expect(result.count == min(20, matching.count))
                #expect(result.allSatisfy { filter.matches(byID[$0.productID]!) })
            }
        }
        // A price filter within one currency never returns a product priced in another.
        let euros = ProductFilter(minPrice: 10, maxPrice: 30, inStockOnly: false, currency: "EUR")
        let euroCount = products.filter(euros.matches).count
        #expect(euroCount > 0 && euroCount < products.filter(ProductFilter(minPrice: 10, maxPrice: 30, inStockOnly: false).matches).count)
        for result in [exact.search(vectors[1], k: 500, filter: euros, excluding: []), hnsw.search(vectors[1], k: 500, filter: euros, excluding: [])] {
            #expect(result.count == euroCount)
            #expect(result.allSatisfy { byID[$0.productID]?.currency == "EUR" })
        }
        #expect(exact.search(vectors[1], k: 5, filter: ProductFilter(inStockOnly: false, currency: "JPY"), excluding: []).isEmpty)
        // A very selective filter (fewer matches than k) returns exactly the matches.
        let rare = ProductFilter(category: "mugs", minPrice: 3, maxPrice: 3, inStockOnly: false)
        let rareCount = products.filter(rare.matches).count
        #expect(hnsw.search(vectors[0], k: 50, filter: rare, excluding: []).count == rareCount)
    }

    @Test func upsertAndDeleteAreVisibleImmediately() {
        for index in [VectorIndex(dimension: 2) as any ProductVectorIndex, HNSWIndex(dimension: 2)] {
            index.upsert(Product(id: "a", name: "a"), vector: [1, 0])
            index.upsert(Product(id: "b", name: "b"), vector: [0, 1])
            #expect(index.search([1, 0], k: 1, filter: .none, excluding: []).first?.productID == "a")
            index.upsert(Product(id: "c", name: "c"), vector: PreferenceVectorHelper.unit([1, 0.01]))
            index.delete("a")
            #expect(index.search([1, 0], k: 1, filter: .none, excluding: []).first?.productID == "c")
            index.upsert(Product(id: "b", name: "b"), vector: [1, 0])
            #expect(index.search([1, 0], k: 1, filter: .none, excluding: []).first?.productID == "b")
            #expect(index.search([1, 0], k: 5, filter: .none, excluding: []).count == 2)
        }
    }

    /// The int8 prefilter must change the work, never the answer: the same ids in the same order
    /// as the fp32 sgemv, with and without filters, exclusions, deletes and re-used rows.
    @Test func quantizedScanReturnsTheExactTopK() {
        let n = 3_000, d = 48
        let vectors = TestFixtures.randomUnitVectors(count: n, dimension: d, seed: 21)
        let products = Self.products(n)
        let plain = VectorIndex(dimension: d, memoCapacity: 0, quantizedScanThreshold: .max)
        let quantized = VectorIndex(dimension: d, memoCapacity: 0, quantizedScanThreshold: 1, scanThreads: 2)
        for (p, v) in zip(products, vectors) {
            plain.upsert(p, vector: v)
            quantized.upsert(p, vector: v)
        }
        for index in [plain, quantized] {
            for i in stride(from: 0, to: n, by: 5) { index.delete("p\(i)") }
            // Re-used rows, including a near-duplicate of an existing vector (a near tie).
            index.upsert(Product(id: "new1", name: "", category: "mugs", price: 12), vector: vectors[1])
            index.upsert(Product(id: "new2", name: "", category: "bags", price: 12), vector: vectors[2])
        }
        let filters = [
            ProductFilter.none, ProductFilter(category: "mugs", minPrice: 10, maxPrice: 20, inStockOnly: true),
            ProductFilter(inStockOnly: true),
        ]
        for (q, query) in TestFixtures.randomUnitVectors(count: 30, dimension: d, seed: 5).enumerated() {
            for filter in filters {
                let excluding: Set<ProductID> = q % 2 == 0 ? ["p1", "p3", "new2"] : []
                let expected = plain.search(query, k: 25, filter: filter, excluding: excluding)
                let got = quantized.search(query, k: 25, filter: filter, excluding: excluding)
                #expect(Set(got.map(\.productID)) == Set(expected.map(\.productID)))
                #expect(got.count == expected.count)
                for (a, b) in zip(got, expected) { #expect(abs(a.score - b.score) < 1e-5) }
            }
        }
        // A product's own vector finds itself first on the quantised path too.
        #expect(quantized.search(vectors[7], k: 1).first?.productID == "p7")
        // The zero query falls back to the plain scan instead of dividing by zero.
        #expect(quantized.search([Float](repeating: 0, count: d), k: 3).count == 3)
    }

    @Test func hnswRecallAgainstExactOnRandomData() {
        let n = 2_000, d = 32
        let vectors = TestFixtures.randomUnitVectors(count: n, dimension: d, seed: 3)
        let exact = VectorIndex(dimension: d)
        let hnsw = HNSWIndex(dimension: d, configuration: .init(m: 16, efConstruction: 100, efSearch: 100))
        for (i, v) in vectors.enumerated() {
            let p = Product(id: "p\(i)", name: "")
            exact.upsert(p, vector: v)
            hnsw.upsert(p, vector: v)
        }
        var found = 0, total = 0
        for q in TestFixtures.randomUnitVectors(count: 50, dimension: d, seed: 11) {
            let truth = Set(exact.search(q, k: 10, filter: .none, excluding: []).map(\.productID))
            found += hnsw.search(q, k: 10, filter: .none, excluding: []).filter { truth.contains($0.productID) }.count
            total += 10
        }
        #expect(Double(found) / Double(total) >= 0.9)
    }

    @Test func aRepeatedSearchIsMemoisedUntilTheIndexChanges() {
        let index = VectorIndex(dimension: 2)
        index.upsert(Product(id: "a", name: "a"), vector: [1, 0])
        index.upsert(Product(id: "b", name: "b"), vector: PreferenceVectorHelper.unit([1, 0.2]))
        index.upsert(Product(id: "c", name: "c"), vector: [0, 1])
        let inStock = ProductFilter(inStockOnly: true)
        let first = index.search([1, 0], k: 2, filter: inStock)
        #expect(index.memoisedSearches == 1)
        #expect(index.search([1, 0], k: 2, filter: inStock).map(\.productID) == first.map(\.productID))
        #expect(index.memoisedSearches == 1)
        // Another k, filter or exclusion set is another question.
        _ = index.search([1, 0], k: 2, filter: inStock, excluding: ["a"])
        #expect(index.memoisedSearches == 2)
        // Out of stock: the next search must not answer from the memo.
        index.upsert(Product(id: "a", name: "a", inStock: false), vector: [1, 0])
        #expect(index.memoisedSearches == 0)
        #expect(index.search([1, 0], k: 2, filter: inStock).map(\.productID) == ["b", "c"])
        index.delete("b")
        #expect(index.search([1, 0], k: 2, filter: inStock).map(\.productID) == ["c"])
        // A full memo is dropped, not grown.
        let small = VectorIndex(dimension: 2, memoCapacity: 2)
        small.upsert(Product(id: "a", name: "a"), vector: [1, 0])
        for i in 0..<5 { _ = small.search([1, Float(i)], k: 1) }
        #expect(small.memoisedSearches <= 2)
    }

    @Test func contentSourceExcludesTheCartAndAnchor() async throws {
        let index = VectorIndex(dimension: 2)
        index.upsert(Product(id: "a", name: "a"), vector: [1, 0])
        index.upsert(Product(id: "b", name: "b"), vector: PreferenceVectorHelper.unit([1, 0.2]))
        index.upsert(Product(id: "c", name: "c"), vector: [0, 1])
        var context = ShopperContext(request: RecommendationRequest(widget: .cart, cartItems: ["a"], filter: .none))
        context.queryVector = PreferenceVector.query(for: context, vectors: index)
        let lists = try await ContentSource(index: index).candidates(for: [context], limit: 2)
        #expect(lists[0].map(\.productID) == ["b", "c"])
    }
}

enum PreferenceVectorHelper {
    static func unit(_ v: [Float]) -> [Float] { PreferenceVector.normalized(v)! }
}
