import Foundation
import Testing

@testable import Candidates

@Suite struct MovingDecayEpochTests {
    private static let start = Date(timeIntervalSince1970: 1_262_304_000)
    private static let tau: TimeInterval = 86_400

    private static func time(_ taus: Double) -> Date { start.addingTimeInterval(taus * tau) }

    @Test func staysWithinAStepAndMovesByWholeSteps() {
        var epoch = MovingDecayEpoch(start: Self.start, timeConstant: Self.tau, step: 20)
        #expect(epoch.advance(toInclude: Self.time(19.9)) == 0)
        #expect(epoch.epoch == Self.start)
        #expect(abs(epoch.exponent(at: Self.time(19.9)) - 19.9) < 1e-9)
        #expect(epoch.advance(toInclude: Self.time(47.5)) == 40)
        #expect(abs(epoch.exponent(at: Self.time(47.5)) - 7.5) < 1e-9)
        #expect(epoch.advance(toInclude: Self.time(10)) == 0, "an older time never moves it back")
        #expect(abs(epoch.exponent(at: Self.time(10)) + 30) < 1e-9)
    }

    @Test func whereItEndsDependsOnlyOnTheNewestTime() {
        let times = [3.0, 61.0, 25.0, 140.5, 99.0, 7.0].map(Self.time)
        var forward = MovingDecayEpoch(start: Self.start, timeConstant: Self.tau, step: 20)
        var shifts = 0.0
        for time in times { shifts += forward.advance(toInclude: time) }
        var backward = MovingDecayEpoch(start: Self.start, timeConstant: Self.tau, step: 20)
        for time in times.reversed() { _ = backward.advance(toInclude: time) }
        var once = MovingDecayEpoch(start: Self.start, timeConstant: Self.tau, step: 20)
        #expect(once.advance(toInclude: Self.time(140.5)) == 140)
        #expect(shifts == 140, "the shifts returned add up to the whole move")
        #expect(abs(forward.epoch.timeIntervalSince(once.epoch)) < 1e-6)
        #expect(abs(backward.epoch.timeIntervalSince(once.epoch)) < 1e-6)
    }
}
