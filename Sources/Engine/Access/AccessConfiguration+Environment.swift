import Foundation
import Support

extension AccessConfiguration {
    /// Reads the documented variables over the defaults: `HYBRIDRANK_READ_ACCESS` (open |
    /// keyed), `HYBRIDRANK_KEY_REFRESH_SECONDS`, `HYBRIDRANK_CORS_ORIGINS` (comma-separated; `*`
    /// any; empty none), `HYBRIDRANK_TRUST_FORWARDED_FOR`, `HYBRIDRANK_ALLOW_OPEN` and
    /// `HYBRIDRANK_RATE_LIMITS` (yes/no as `BooleanText` reads them: 1/0, true/false, on/off…),
    /// `HYBRIDRANK_RATE_LIMIT_ANONYMOUS|READ|INGEST|ADMIN` (RATE/BURST),
    /// `HYBRIDRANK_RATE_LIMIT_SEARCH_COST`, `HYBRIDRANK_RATE_LIMIT_REJECTION_DELAY`. A malformed
    /// value keeps the default.
    public init(environment: [String: String]) {
        self.init()
        if let access = environment["HYBRIDRANK_READ_ACCESS"].flatMap(ReadAccess.init(rawValue:)) { readAccess = access }
        if let seconds = environment["HYBRIDRANK_KEY_REFRESH_SECONDS"].flatMap(Double.init), seconds > 0 {
            keyRefreshInterval = seconds
        }
        if let origins = environment["HYBRIDRANK_CORS_ORIGINS"] {
            corsOrigins = origins.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        if let allow = environment["HYBRIDRANK_ALLOW_OPEN"].flatMap(BooleanText.parse) { allowOpen = allow }
        if let trust = environment["HYBRIDRANK_TRUST_FORWARDED_FOR"].flatMap(BooleanText.parse) { trustForwardedFor = trust }
        if let enabled = environment["HYBRIDRANK_RATE_LIMITS"].flatMap(BooleanText.parse) { rateLimits.enabled = enabled }
        if let limit = environment["HYBRIDRANK_RATE_LIMIT_ANONYMOUS"].flatMap(RateLimit.init(argument:)) { rateLimits.anonymous = limit }
        if let limit = environment["HYBRIDRANK_RATE_LIMIT_READ"].flatMap(RateLimit.init(argument:)) { rateLimits.read = limit }
        if let limit = environment["HYBRIDRANK_RATE_LIMIT_INGEST"].flatMap(RateLimit.init(argument:)) { rateLimits.ingest = limit }
        if let limit = environment["HYBRIDRANK_RATE_LIMIT_ADMIN"].flatMap(RateLimit.init(argument:)) { rateLimits.admin = limit }
        if let delay = environment["HYBRIDRANK_RATE_LIMIT_REJECTION_DELAY"].flatMap(Double.init), delay >= 0 {
            rateLimits.rejectionDelay = delay
        }
        if let cost = environment["HYBRIDRANK_RATE_LIMIT_SEARCH_COST"].flatMap(Double.init), cost >= 0 {
            rateLimits.searchCost = cost
        }
    }
}
