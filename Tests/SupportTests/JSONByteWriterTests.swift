import Foundation
import NIOCore
import Support
import Testing

struct JSONByteWriterTests {
    private func text(_ writer: JSONByteWriter) -> String {
        String(buffer: writer.buffer)
    }

    @Test func fieldsOfEveryKindMakeOneObject() throws {
        var json = JSONByteWriter()
        json.beginObject()
        json.field("a", "x\"y\\z\n")
        json.field("b", 3)
        json.field("c", true)
        json.nullField("d")
        json.field("e", Date(timeIntervalSince1970: 86_400 + 3_661))
        json.field("f", 1.5)
        json.endObject()
        #expect(text(json) == #"{"a":"x\"y\\z\n","b":3,"c":true,"d":null,"e":"1970-01-02T01:01:01Z","f":1.5}"#)
        let decoded = try JSONSerialization.jsonObject(with: Data(text(json).utf8)) as? [String: Any]
        #expect(decoded?["a"] as? String == "x\"y\\z\n")
    }

    @Test func fixedDecimalsRoundAndKeepTheirZeros() {
        var json = JSONByteWriter()
        json.beginObject()
        json.field("price", 12.3, fractionDigits: 2)
        json.field("value", 0.005, fractionDigits: 2)
        json.field("refund", -0.5, fractionDigits: 2)
        json.field("whole", 7.25, fractionDigits: 0)
        json.field("nan", Double.nan, fractionDigits: 2)
        json.endObject()
        #expect(text(json) == #"{"price":12.30,"value":0.01,"refund":-0.50,"whole":7,"nan":null}"#)
    }

    @Test func recordsOnSeparateLinesNeedNoCommaBetweenThem() {
        var json = JSONByteWriter()
        for id in ["p1", "p2"] {
            json.beginObject()
            json.field("product_id", id)
            json.endObject()
            json.endLine()
        }
        #expect(text(json) == "{\"product_id\":\"p1\"}\n{\"product_id\":\"p2\"}\n")
        json.clear()
        json.beginObject()
        json.endObject()
        #expect(text(json) == "{}")
    }

    @Test func aDateTimeNeedsItsTimeAndAnExistingDay() {
        #expect(ISO8601Text.dateTime(from: "2024-02-29T12:00:00Z") == ISO8601Text.date(from: "2024-02-29T12:00:00Z"))
        #expect(ISO8601Text.dateTime(from: "2024-02-29t12:00:00z") != nil)
        #expect(ISO8601Text.dateTime(from: "2023-02-29T12:00:00Z") == nil, "no such day")
        #expect(ISO8601Text.dateTime(from: "2024-02-29") == nil && ISO8601Text.date(from: "2024-02-29") != nil)
        #expect(ISO8601Text.dateTime(from: "2024-02-29T12:00") == nil, "seconds required")
    }

    @Test func aDayIsTheUTCDateOfTheTimestamp() {
        #expect(ISO8601Text.day(Date(timeIntervalSince1970: 1_320_000_000)) == "2011-10-30")
        #expect(ISO8601Text.day(Date(timeIntervalSince1970: -1)) == "1969-12-31")
    }
}
