import Testing

@Test func MiniLMTestsBuilds() { #expect(1 + 1 == 2) }
