import Foundation
import Logging
import ServiceLifecycle

/// Keeps `experiment_daily_performance` current: rolls up the recent days every minute (the
/// statement is idempotent, so replicas running it concurrently agree).
package struct PerformanceRollupService: Service {
    package let results: ExperimentResultsService
    let windowSeconds: TimeInterval
    let interval: Double
    let logger: Logger

    package init(results: ExperimentResultsService, windowSeconds: TimeInterval, interval: Double, logger: Logger) {
        self.results = results
        self.windowSeconds = windowSeconds
        self.interval = interval
        self.logger = logger
    }

    package func run() async throws {
        await runPeriodically(every: interval, startsAtOnce: true) {
            do {
                try await results.rollUpRecentDays(windowSeconds: windowSeconds)
            } catch {
                logger.debug("performance rollup failed; will retry", metadata: ["error": "\(error)"])
            }
        }
    }
}
