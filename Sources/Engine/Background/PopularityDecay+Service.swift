import Candidates
import Foundation

extension PopularityDecay {
    /// The one decay every replica uses for the Redis popularity sorted sets (the default τ), so
    /// scores written by any replica compare with scores written by any other. The epoch is
    /// 2025-01-01: increments stay far inside Double's range (exp(709)) until about 2050, while
    /// events from years ago (imported history) simply weigh almost nothing, as they should.
    static let shared = PopularityDecay(epoch: Date(timeIntervalSince1970: 1_735_689_600))
}
