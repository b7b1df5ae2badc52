import ServiceLifecycle

/// Refits the cart's basket model (`LiveIndexes.basketEASE`) when the next `RefitCutoff` boundary
/// has passed (daily by default), until graceful shutdown. It looks every `interval` seconds (a
/// minute, or the refit period when shorter), so replicas refit within that long of each other.
package struct BasketModelRefresher: Service {
    let bootstrap: StateBootstrap
    let interval: Double

    package init(bootstrap: StateBootstrap, refitPeriod: Double) {
        self.bootstrap = bootstrap
        self.interval = min(60, refitPeriod)
    }

    package func run() async throws {
        await runPeriodically(every: interval) { await bootstrap.refitBasketModelIfDue() }
    }
}
