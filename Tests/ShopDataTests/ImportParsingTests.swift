import Domain
import Foundation
@testable import ShopData
import Support
import Testing

@Suite("Import row parsing")
struct ImportParsingTests {
    @Test func csvSplitsQuotedFieldsWithCommasAndQuotes() {
        #expect(CSV.fields(ofLine: "16156L,\"WRAP, CAROUSEL\",0.42,") == ["16156L", "WRAP, CAROUSEL", "0.42", ""])
        #expect(CSV.fields(ofLine: "a,\"say \"\"hi\"\"\",c\r") == ["a", "say \"hi\"", "c"])
        #expect(CSV.fields(ofLine: "") == [""])
        #expect(CSV.fields(ofLine: "a,\"unterminated") == nil)
        #expect(CSV.fields(ofLine: "a,\"x\"y") == nil)
    }

    @Test func flatJSONReadsStringsNumbersBooleansAndEscapes() throws {
        let fields = try #require(
            FlatJSONObject.parse(
                #"{"product_id":"p\"1","price":12.50,"qty":3,"in_stock":true,"note":null,"tags":["a",{"b":"}"}],"name":"caf\u00e9 \ud83d\uded2 \\ /"}"#
            ))
        #expect(fields["product_id"] == "p\"1")
        #expect(fields["price"] == "12.50")
        #expect(fields["qty"] == "3")
        #expect(fields["in_stock"] == "true")
        #expect(fields["note"] == nil)
        #expect(fields["tags"] == nil)
        #expect(fields["name"] == "café 🛒 \\ /")
        #expect(FlatJSONObject.parse("{}") == [:])
        #expect(FlatJSONObject.parse("[1,2]") == nil)
        #expect(FlatJSONObject.parse(#"{"a":1"#) == nil)
        #expect(FlatJSONObject.parse(#"{"a":1} trailing"#) == nil)
        #expect(FlatJSONObject.parse(#"{"a":"bad \q escape"}"#) == nil)
    }

    @Test func timestampsInTheFormatsFilesUse() throws {
        let reference = Date(timeIntervalSince1970: 1_259_653_500)  // 2009-12-01T07:45:00Z
        #expect(ImportTimestamp.parse("2009-12-01T07:45:00") == reference)
        #expect(ImportTimestamp.parse("2009-12-01 07:45:00") == reference)
        #expect(ImportTimestamp.parse("2009-12-01T07:45:00Z") == reference)
        #expect(ImportTimestamp.parse("2009-12-01T08:45:00+01:00") == reference)
        #expect(ImportTimestamp.parse("2009-12-01T02:45:00-0500") == reference)
        #expect(ImportTimestamp.parse("2009-12-01T07:45") == reference)
        #expect(ImportTimestamp.parse("1259653500") == reference)
        #expect(ImportTimestamp.parse("1259653500000") == reference)
        #expect(ImportTimestamp.parse("2009-12-01T07:45:00.250Z") == reference.addingTimeInterval(0.25))
        #expect(ImportTimestamp.parse("2024-02-29") == Date(timeIntervalSince1970: 1_709_164_800))
        for bad in ["", "yesterday", "2009-13-01", "2023-02-29", "2009-12-01T25:00:00", "2009-12-01T07:45:00 junk", "2011"] {
            #expect(ImportTimestamp.parse(bad) == nil, "\(bad) must not parse")
        }
    }

    @Test func onlineRetailCatalogRow() throws {
        var reader = ImportRecordReader(format: .csv)
        #expect(try reader.record("product_id,name,unit_price,category", line: 1) == nil)
        let record = try #require(try reader.record("16156L,\"WRAP, CAROUSEL\",0.42,", line: 2))
        let product = try CatalogRecordParser.product(from: record, now: Date(timeIntervalSince1970: 0))
        #expect(product.id == "16156L")
        #expect(product.name == "WRAP, CAROUSEL")
        #expect(product.price == 0.42)
        #expect(product.category == "")
        #expect(product.inStock)
        #expect(product.currency == "GBP")
    }

    @Test func catalogRejectionsNameLineAndField() throws {
        var reader = ImportRecordReader(format: .csv)
        _ = try reader.record("product_id,name,unit_price,category", line: 1)
        let cases: [(String, String?, String)] = [
            ("p1,Mug,cheap,", "price", "is not a number"),
            (",Mug,1.0,", "product_id", "is missing"),
            ("p1,,1.0,", "name", "is missing"),
            ("p1,Mug,-2,", "price", "is negative"),
            ("p1,Mug,nan,", "price", "is not a number"),
        ]
        for (index, (line, field, reason)) in cases.enumerated() {
            let record = try #require(try reader.record(line, line: index + 2))
            #expect(throws: ImportRowError(line: index + 2, field: field, reason: reason)) {
                try CatalogRecordParser.product(from: record, now: Date())
            }
        }
        #expect(throws: ImportRowError.self) { try reader.record("p1,Mug", line: 9) }
        do {
            _ = try reader.record("p1,Mug", line: 9)
        } catch {
            #expect(error.description.hasPrefix("line 9: has 2 fields"))
        }
    }

    @Test func ndjsonCatalogRowWithAllFields() throws {
        var reader = ImportRecordReader(format: .ndjson)
        let record = try #require(
            try reader.record(
                #"{"product_id":"p7","name":"Garden lantern","price":24.5,"category":"Garden","description":"Solar","currency":"EUR","stock_quantity":0,"promoted":true,"created_at":"2024-03-01T10:00:00Z"}"#,
                line: 3))
        let now = Date()
        let product = try CatalogRecordParser.product(from: record, now: now)
        #expect(product.category == "Garden")
        #expect(product.stockQuantity == 0)
        #expect(product.inStock == false)
        #expect(product.promoted)
        #expect(product.currency == "EUR")
        #expect(product.createdAt == ImportTimestamp.parse("2024-03-01T10:00:00Z"))
        #expect(product.updatedAt == now, "the import stamps when it stores a row")
        #expect(throws: ImportRowError(line: 4, field: nil, reason: "is not a JSON object")) {
            try reader.record("{not json", line: 4)
        }
    }

    @Test func catalogRowsAreHeldToTheAPIsRules() throws {
        var reader = ImportRecordReader(format: .ndjson)
        func product(_ json: String) throws -> Product {
            try CatalogRecordParser.product(from: try #require(try reader.record(json, line: 5)), now: Date())
        }
        #expect(try product(#"{"product_id":"p1","name":"Mug","currency":"eur"}"#).currency == "EUR", "stored upper-case, as the API stores it")
        #expect(throws: ImportRowError(line: 5, field: "currency", reason: "is not a 3-letter ISO 4217 code")) {
            try product(#"{"product_id":"p1","name":"Mug","currency":"EURO"}"#)
        }
        #expect(throws: ImportRowError(line: 5, field: "stock_quantity", reason: "is not between 0 and 2147483647")) {
            try product(#"{"product_id":"p1","name":"Mug","stock_quantity":3000000000}"#)
        }
        #expect(throws: ImportRowError(line: 5, field: "product_id", reason: "is not an id (1–256 characters, no spaces or control characters)")) {
            try product(#"{"product_id":"p 1","name":"Mug"}"#)
        }
        #expect(throws: ImportRowError(line: 5, field: "name", reason: "holds NUL or control characters")) {
            try product(#"{"product_id":"p1","name":"A\u0000B"}"#)
        }
        #expect(throws: ImportRowError(line: 5, field: "category", reason: "is longer than 256 characters")) {
            try product(#"{"product_id":"p1","name":"Mug","category":"\#(String(repeating: "c", count: 257))"}"#)
        }
        #expect(try product(#"{"product_id":"p1","name":"Mug","description":"two\nlines\tand a tab"}"#).description == "two\nlines\tand a tab")
        #expect(throws: ImportRowError(line: 5, field: "created_at", reason: "is not between 1970 and 2200")) {
            try product(#"{"product_id":"p1","name":"Mug","created_at":"2500-01-01T00:00:00Z"}"#)
        }
    }

    @Test func onlineRetailEventRow() throws {
        var reader = ImportRecordReader(format: .csv)
        _ = try reader.record("customer_id,product_id,event,quantity,timestamp,basket_id", line: 1)
        let record = try #require(try reader.record("13085,21232,purchase,24,2009-12-01T07:45:00,489434", line: 2))
        let event = try EventRecordParser.event(from: record)
        #expect(event.interaction.userID == "13085")
        #expect(event.interaction.productID == "21232")
        #expect(event.interaction.type == .purchase)
        #expect(event.interaction.quantity == 24)
        #expect(event.interaction.basketID == "489434")
        #expect(event.interaction.occurredAt == Date(timeIntervalSince1970: 1_259_653_500))
        #expect(event.hasValue == false)
        // The same row gives the same key; any difference gives another.
        let again = try EventRecordParser.event(from: record)
        #expect(again.eventKey == event.eventKey)
        let other = try #require(try reader.record("13085,21232,purchase,24,2009-12-01T07:46:00,489434", line: 3))
        #expect(try EventRecordParser.event(from: other).eventKey != event.eventKey)
    }

    @Test func eventRejectionsNameLineAndField() throws {
        var reader = ImportRecordReader(format: .csv)
        _ = try reader.record("customer_id,product_id,event,quantity,timestamp,basket_id", line: 1)
        let cases: [(String, String, String)] = [
            (",21232,purchase,1,2009-12-01T07:45:00,1", "user_id", "is missing"),
            ("1,,purchase,1,2009-12-01T07:45:00,1", "product_id", "is missing"),
            ("1,2,like,1,2009-12-01T07:45:00,1", "event", "is not one of view, cart_add, cart_remove, wishlist_add, purchase, recommendation_click, recommendation_impression"),
            ("1,2,purchase,two,2009-12-01T07:45:00,1", "quantity", "is not an integer"),
            ("1,2,purchase,1.5,2009-12-01T07:45:00,1", "quantity", "is not an integer"),
            ("1,2,purchase,0,2009-12-01T07:45:00,1", "quantity", "is not between 1 and 100000"),
            ("1,2,purchase,3000000000,2009-12-01T07:45:00,1", "quantity", "is not between 1 and 100000"),
            ("1,2,purchase,1,1969-12-31T23:59:59Z,1", "timestamp", "is not between 1970 and 2200"),
            ("1 2,2,purchase,1,2009-12-01T07:45:00,1", "user_id", "is not an id (1–256 characters, no spaces or control characters)"),
            ("1,2,purchase,1,2009-12-01T07:45:00,b 1", "basket_id", "is not an id (1–256 characters, no spaces or control characters)"),
            ("1,2,purchase,1,yesterday,1", "timestamp", "is not a timestamp"),
            ("1,2,purchase,1,,1", "timestamp", "is missing"),
        ]
        for (index, (line, field, reason)) in cases.enumerated() {
            let record = try #require(try reader.record(line, line: index + 2))
            #expect(throws: ImportRowError(line: index + 2, field: field, reason: reason)) {
                try EventRecordParser.event(from: record)
            }
        }
        let error = ImportRowError(line: 12, field: "quantity", reason: "is not an integer")
        #expect(error.description == "line 12: field quantity is not an integer")
    }

    @Test func ndjsonEventWithValueRequestAndEventID() throws {
        var reader = ImportRecordReader(format: .ndjson)
        let record = try #require(
            try reader.record(
                #"{"user_id":"u1","product_id":"p2","event":"recommendation_click","value":0,"timestamp":"2024-05-01T12:00:00Z","request_id":"r9","event_id":"e-1"}"#,
                line: 1))
        let event = try EventRecordParser.event(from: record)
        #expect(event.interaction.type == .recommendationClick)
        #expect(event.interaction.requestID == "r9")
        #expect(event.interaction.quantity == 1)
        #expect(event.hasValue)
        #expect(event.eventKey == "client:e-1", "the key POST /v1/events gives the same event_id")
    }

    @Test func fileFormatsByName() {
        #expect(ImportFileFormat(path: "a/interactions.csv.gz") == .csv)
        #expect(ImportFileFormat(path: "products.CSV") == .csv)
        #expect(ImportFileFormat(path: "events.ndjson") == .ndjson)
        #expect(ImportFileFormat(path: "events.jsonl.gz") == .ndjson)
        #expect(ImportFileFormat(path: "events.parquet") == nil)
    }

    @Test func eventKeysAreStableAndFieldBoundariesMatter() {
        #expect(EventKey.make(fields: ["ab", "c"]) != EventKey.make(fields: ["a", "bc"]))
        #expect(EventKey.make(fields: ["u1", "p1"]) == EventKey.make(fields: ["u1", "p1"]))
        #expect(EventKey.make(fields: ["u1", "p1"]).utf8.count == 33)
    }
}
