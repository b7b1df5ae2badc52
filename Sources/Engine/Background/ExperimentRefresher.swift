import ServiceLifecycle

/// Keeps the replica's running-experiment set and widget settings current (and retries the
/// initial load when PostgreSQL was down at start) until graceful shutdown.
package struct ExperimentRefresher: Service {
    let bootstrap: StateBootstrap
    let interval: Double

    package init(bootstrap: StateBootstrap, interval: Double) {
        self.bootstrap = bootstrap
        self.interval = interval
    }

    package func run() async throws {
        await runPeriodically(every: interval) {
            if bootstrap.isLoaded {
                await bootstrap.refreshSettings()
            } else {
                await bootstrap.loadIfPossible()
            }
        }
    }
}
