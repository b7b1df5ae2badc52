import ServiceLifecycle

/// The loop of the services that redo one piece of work every `interval` seconds until graceful
/// shutdown (`APIKeyRefresher`, `ExperimentRefresher`, `PerformanceRollupService`): one place for
/// how they wait (graceful shutdown ends the wait at once) and when they stop (no round starts
/// once shutdown or cancellation has begun).
/// - Parameter startsAtOnce: the first round runs before the first wait, not after it.
package func runPeriodically(every interval: Double, startsAtOnce: Bool = false, _ round: () async -> Void) async {
    if startsAtOnce && !Task.isShuttingDownGracefully && !Task.isCancelled { await round() }
    while !Task.isShuttingDownGracefully && !Task.isCancelled {
        try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .milliseconds(Int(interval * 1000))) }
        if Task.isShuttingDownGracefully || Task.isCancelled { break }
        await round()
    }
}
