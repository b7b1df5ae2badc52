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
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .milliseconds(Int(interval * 1000))) }
            if bootstrap.isLoaded {
                await bootstrap.refreshSettings()
            } else {
                await bootstrap.loadIfPossible()
            }
        }
    }
}
