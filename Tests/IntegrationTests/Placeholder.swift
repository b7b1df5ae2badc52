import Testing

@Test func IntegrationTestsBuilds() { #expect(1 + 1 == 2) }
