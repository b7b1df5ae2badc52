import Support
import Testing

struct BooleanTextTests {
    @Test func everySpellingInAnyCase() {
        for text in ["true", "T", "yes", "Y", "on", "ON", "1"] { #expect(BooleanText.parse(text) == true, "\(text)") }
        for text in ["false", "f", "No", "n", "off", "0"] { #expect(BooleanText.parse(text) == false, "\(text)") }
        for text in ["", "2", "maybe", " true", "yess"] { #expect(BooleanText.parse(text) == nil, "\(text)") }
    }
}
