import Candidates

extension PopularityDecay {
    /// The one decay every replica uses for the Redis popularity sorted sets (τ = 14 days), so
    /// scores written by any replica compare with scores written by any other.
    static let shared = PopularityDecay(timeConstantDays: 14)
}
