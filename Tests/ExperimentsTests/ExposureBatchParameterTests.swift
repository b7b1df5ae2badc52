import Foundation
import Testing

@testable import Experiments

/// The jsonb parameter of `ExposureSQL.insertBatch`, written without `JSONEncoder`.
struct ExposureBatchParameterTests {
    static let records = [
        ExposureRecord(
            requestID: "r1", userID: "u1", widget: "homepage", experimentKey: "e", variantKey: "control",
            items: ["p1", "p2", "p3"], latencyMilliseconds: 10.25, createdAt: Date(timeIntervalSince1970: 1_763_632_800)),
        ExposureRecord(
            requestID: "r2", userID: nil, widget: "cart", experimentKey: nil, variantKey: nil, items: [],
            latencyMilliseconds: nil, createdAt: Date(timeIntervalSince1970: 1_763_632_801.9)),
        ExposureRecord(
            requestID: "r3", userID: "Zoë \u{1F600}", widget: "product", experimentKey: "exp-1", variantKey: "t",
            items: ["P000001"], latencyMilliseconds: 0.30000000000000004, createdAt: Date(timeIntervalSince1970: 0)),
    ]

    @Test func itIsWhatTheExperimentEncoderWrites() throws {
        let encoded = String(decoding: try ExperimentCoding.makeEncoder().encode(Self.records), as: UTF8.self)
        #expect(ExposureSQL.batchParameter(Self.records) == encoded)
        #expect(ExposureSQL.batchParameter([]) == "[]")
    }

    @Test func awkwardStringsAreEscapedAndRoundTrip() throws {
        var record = Self.records[0]
        record.requestID = "quote\" backslash\\ newline\n tab\t bell\u{07} slash/"
        record.items = ["a\"b", "c\\d", "\u{1F}"]
        let json = ExposureSQL.batchParameter([record, Self.records[1]])
        let decoded = try ExperimentCoding.makeDecoder().decode([ExposureRecord].self, from: Data(json.utf8))
        #expect(decoded == [record, Self.records[1]].map { record in
            var rounded = record
            rounded.createdAt = Date(timeIntervalSince1970: record.createdAt.timeIntervalSince1970.rounded(.down))
            return rounded
        })
        #expect(json.contains("\\u0007"))
        #expect(!json.contains("\n"))
    }

    @Test func aNonFiniteLatencyIsLeftOut() {
        var record = Self.records[0]
        record.latencyMilliseconds = .infinity
        #expect(!ExposureSQL.batchParameter([record]).contains("latency_ms"))
    }
}
