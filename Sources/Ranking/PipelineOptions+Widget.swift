import Domain

extension PipelineOptions {
    /// The service defaults adjusted for one widget (`WidgetProfile.defaultOptions(from:)`).
    public func defaults(for widget: Widget) -> PipelineOptions {
        WidgetProfile.of(widget).defaultOptions(from: self)
    }

    /// How far back the cart and FBT widgets exclude recent purchases (`WidgetProfile`).
    public static var recentPurchaseExclusionDays: Int { WidgetProfile.recentPurchaseExclusionDays }
}
