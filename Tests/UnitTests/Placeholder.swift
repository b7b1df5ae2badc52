import Testing

@Test func UnitTestsBuilds() { #expect(1 + 1 == 2) }
