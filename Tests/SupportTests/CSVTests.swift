import Support
import Testing

struct CSVTests {
    @Test func aWholeFileKeepsQuotedCommasNewlinesAndDoubledQuotes() {
        let text = "id,name\r\n1,\"WRAP, CAROUSEL\"\n2,\"two\nlines\"\n\n3,\"say \"\"hi\"\"\"\n"
        #expect(CSV.records(in: Array(text.utf8)) == [
            ["id", "name"], ["1", "WRAP, CAROUSEL"], ["2", "two\nlines"], ["3", "say \"hi\""],
        ])
        #expect(CSV.records(in: Array("a,b".utf8)) == [["a", "b"]], "no final newline")
    }

    @Test func oneLineIsReadStrictly() {
        #expect(CSV.fields(ofLine: "\"quoted\"") == ["quoted"])
        #expect(CSV.fields(ofLine: "a,\"b\"\"\"") == ["a", "b\""])
        #expect(CSV.fields(ofLine: "a,b\"c") == ["a", "b\"c"], "a quote inside an unquoted field is text")
    }

    @Test func aWrittenFieldReadsBackWhole() {
        let fields = ["plain", "WRAP, CAROUSEL", "say \"hi\"", "two\nlines", "cr\rhere", ""]
        let line = fields.map(CSV.field).joined(separator: ",") + "\n"
        #expect(CSV.records(in: Array(line.utf8)) == [fields])
        #expect(CSV.field("plain") == "plain")
    }
}
