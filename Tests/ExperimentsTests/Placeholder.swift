import Testing

@Test func ExperimentsTestsBuilds() { #expect(1 + 1 == 2) }
