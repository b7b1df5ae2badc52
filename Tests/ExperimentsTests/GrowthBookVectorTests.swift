import Foundation
import TestSupport
import Testing
@testable import Experiments

/// The hashing and bucketing vectors of GrowthBook's SDK specification (`../shared/testdata`).
struct GrowthBookVectorTests {
    /// The vectors file (`<shared>/testdata`, `SharedFolder`).
    static func loadVectors() -> [String: Any] {
        let url = SharedFolder.url.appendingPathComponent("testdata/growthbook-bucketing.json")
        guard let data = try? Data(contentsOf: url),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return [:] }
        return object
    }

    static func cases(_ name: String) -> [[Any]] {
        (loadVectors()[name] as? [[Any]]) ?? []
    }

    static func ranges(_ value: Any) -> [BucketRange] {
        ((value as? [[NSNumber]]) ?? []).map { BucketRange(start: $0[0].doubleValue, end: $0[1].doubleValue) }
    }

    @Test func vectorsFileIsPresentWithEverySection() {
        #expect(Self.cases("hash").count >= 10)
        #expect(Self.cases("getBucketRange").count >= 10)
        #expect(Self.cases("chooseVariation").count >= 10)
        #expect(Self.cases("inNamespace").count >= 10)
    }

    @Test func hashMatchesEveryVector() {
        for row in Self.cases("hash") {
            let seed = row[0] as! String
            let value = row[1] as! String
            let version = (row[2] as! NSNumber).intValue
            let actual = BucketHasher.hash(seed: seed, value: value, version: version)
            if let expected = row[3] as? NSNumber {
                #expect(actual != nil, "hash(\(seed), \(value), v\(version))")
                #expect(abs((actual ?? -1) - expected.doubleValue) < 1e-9, "hash(\(seed), \(value), v\(version))")
            } else {
                #expect(actual == nil, "unsupported version \(version)")
            }
        }
    }

    @Test func bucketRangesMatchEveryVector() {
        for row in Self.cases("getBucketRange") {
            let name = row[0] as! String
            let args = row[1] as! [Any]
            let count = (args[0] as! NSNumber).intValue
            let coverage = (args[1] as! NSNumber).doubleValue
            let weights = (args[2] as? [NSNumber])?.map(\.doubleValue)
            let expected = Self.ranges(row[2])
            let actual = BucketRange.ranges(numVariations: count, coverage: coverage, weights: weights)
            #expect(actual.count == expected.count, "\(name)")
            for (a, e) in zip(actual, expected) {
                #expect(abs(a.start - e.start) < 1e-9 && abs(a.end - e.end) < 1e-9, "\(name): \(a) vs \(e)")
            }
        }
    }

    @Test func chooseVariationMatchesEveryVector() {
        for row in Self.cases("chooseVariation") {
            let name = row[0] as! String
            let n = (row[1] as! NSNumber).doubleValue
            let expected = (row[3] as! NSNumber).intValue
            #expect(BucketRange.chooseVariation(n, ranges: Self.ranges(row[2])) == expected, "\(name)")
        }
    }

    @Test func inNamespaceMatchesEveryVector() {
        for row in Self.cases("inNamespace") {
            let name = row[0] as! String
            let id = row[1] as! String
            let ns = row[2] as! [Any]
            let range = NamespaceRange(
                name: ns[0] as! String, start: (ns[1] as! NSNumber).doubleValue, end: (ns[2] as! NSNumber).doubleValue)
            #expect(range.contains(unitID: id) == (row[3] as! Bool), "\(name)")
        }
    }
}

/// The allocation-free pieces agree with hashing the concatenated strings.
struct BucketHasherTests {
    @Test func piecewiseHashingEqualsHashingTheConcatenation() {
        let pairs = [("", ""), ("seed", "a"), ("b", "a"), ("ümlaut", "😀 emoji"), ("90850943850283058242805", "123")]
        for (a, b) in pairs {
            #expect(BucketHasher.fnv32a(a, b) == BucketHasher.fnv32a(a + b))
        }
        for value: UInt32 in [0, 7, 10, 99, 1_000_000, 4_294_967_295, 2_166_136_261] {
            #expect(BucketHasher.fnv32aOfDecimal(value) == BucketHasher.fnv32a(String(value)))
        }
    }
}
