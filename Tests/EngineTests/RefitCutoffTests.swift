import Foundation
import Testing

@testable import Engine

/// The boundary every replica fits the cart's basket model up to.
@Suite struct RefitCutoffTests {
    @Test func theBoundaryIsTheLastWholePeriod() {
        let day = RefitCutoff()
        let noonDec3 = Date(timeIntervalSince1970: 1_796_256_000 + 12 * 3600)  // 2026-12-03 12:00 UTC
        #expect(day.cutoff(at: noonDec3) == Date(timeIntervalSince1970: 1_796_256_000))
        #expect(day.cutoff(at: Date(timeIntervalSince1970: 1_796_256_000)) == Date(timeIntervalSince1970: 1_796_256_000))
        #expect(RefitCutoff(period: 3600).cutoff(at: noonDec3.addingTimeInterval(59 * 60)) == noonDec3)
        #expect(ServiceConfiguration(environment: ["HYBRIDRANK_BASKET_MODEL_REFIT_SECONDS": "3600"]).basketModelRefitPeriod == 3600)
        #expect(ServiceConfiguration(environment: ["HYBRIDRANK_BASKET_MODEL_REFIT_SECONDS": "0"]).basketModelRefitPeriod == 86_400)
    }
}
