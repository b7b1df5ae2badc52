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
}
