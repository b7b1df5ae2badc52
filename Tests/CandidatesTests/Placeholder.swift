import Testing

@Test func CandidatesTestsBuilds() { #expect(1 + 1 == 2) }
