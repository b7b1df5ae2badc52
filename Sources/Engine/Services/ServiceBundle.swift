import Foundation

/// The services the HTTP routes call, built once by the composition root.
public struct ServiceBundle: Sendable {
    public let configuration: ServiceConfiguration
    public let metrics: ServiceMetrics
    public let catalog: LiveCatalog
    public let recommendations: RecommendationService
    public let products: ProductService
    public let events: EventService
    public let experiments: ExperimentService
    public let widgetSettings: WidgetSettingsService
    public let health: HealthService

    package init(configuration: ServiceConfiguration, metrics: ServiceMetrics, catalog: LiveCatalog, recommendations: RecommendationService, products: ProductService, events: EventService, experiments: ExperimentService, widgetSettings: WidgetSettingsService, health: HealthService) {
        self.configuration = configuration
        self.metrics = metrics
        self.catalog = catalog
        self.recommendations = recommendations
        self.products = products
        self.events = events
        self.experiments = experiments
        self.widgetSettings = widgetSettings
        self.health = health
    }
}
