import Engine
import Hummingbird

/// The whole HTTP API: one route collection per area, each mapping its routes onto one service.
/// Handlers only parse and validate input, call one service method and encode its answer; the
/// application's errors become responses in one place (`InternalErrorMiddleware`, `APIError`).
public struct APIRoutes: Sendable {
    public let services: ServiceBundle

    public init(services: ServiceBundle) {
        self.services = services
    }

    public func register(on router: Router<APIRequestContext>) {
        OperationsRoutes(services: services).register(on: router)
        let v1 = router.group("v1")
        RecommendationRoutes(services: services).register(on: v1)
        CatalogRoutes(services: services).register(on: v1)
        EventRoutes(services: services).register(on: v1)
        ExperimentRoutes(services: services).register(on: v1)
        WidgetSettingsRoutes(services: services).register(on: v1)
        DashboardRoutes(services: services).register(on: router)
        StorefrontRoutes().register(on: router)
    }
}
