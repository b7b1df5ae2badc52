import Domain
import NIOConcurrencyHelpers
import Ranking

/// The widget settings in force on this replica, each resolved once into what a request reads:
/// a widget request takes one lock and one look-up, not a merge of options.
///
/// Filled from PostgreSQL at start and on every refresh (`StateBootstrap`), and at once on the
/// replica that stored a change (`WidgetSettingsService`).
public final class WidgetSettingsTable: Sendable {
    /// One widget's settings applied: the options experiments start from, and its merchandising
    /// in the form `RuleContext` takes (0-based pin positions).
    public struct Resolved: Sendable {
        public var settings: WidgetSettings
        public var options: PipelineOptions
        public var blockList: Set<ProductID>
        public var pinned: [Int: ProductID]
    }

    private let base: PipelineOptions
    /// Every widget has an entry (the built-in defaults when it has no settings).
    private let resolved: NIOLockedValueBox<[Widget: Resolved]>

    /// - Parameter base: the service defaults (`ServiceConfiguration.pipeline`).
    public init(base: PipelineOptions, settings: [Widget: WidgetSettings] = [:]) {
        self.base = base
        self.resolved = NIOLockedValueBox(Self.resolveAll(settings, base: base))
    }

    /// Installs the whole stored set; widgets without a row fall back to the built-in defaults.
    public func replace(with settings: [Widget: WidgetSettings]) {
        let all = Self.resolveAll(settings, base: base)
        resolved.withLockedValue { $0 = all }
    }

    /// Installs one widget's settings (`nil`: back to the built-in defaults).
    public func set(_ settings: WidgetSettings?, for widget: Widget) {
        let one = resolve(settings ?? WidgetSettings(), for: widget)
        resolved.withLockedValue { $0[widget] = one }
    }

    public func resolved(for widget: Widget) -> Resolved {
        resolved.withLockedValue { $0[widget] } ?? resolve(WidgetSettings(), for: widget)
    }

    /// `settings` resolved over this table's service defaults, installed or not.
    public func resolve(_ settings: WidgetSettings, for widget: Widget) -> Resolved {
        Self.resolve(settings, for: widget, base: base)
    }

    /// The pure layering: service defaults → built-in widget defaults → the settings.
    public static func resolve(_ settings: WidgetSettings, for widget: Widget, base: PipelineOptions) -> Resolved {
        var pinned: [Int: ProductID] = [:]
        for pin in settings.pinned { pinned[pin.position - 1] = pin.productID }
        return Resolved(
            settings: settings, options: OptionLayers.settingsOptions(base: base, widget: widget, settings: settings),
            blockList: Set(settings.blockList), pinned: pinned)
    }

    private static func resolveAll(_ settings: [Widget: WidgetSettings], base: PipelineOptions) -> [Widget: Resolved] {
        var all: [Widget: Resolved] = [:]
        for widget in Widget.allCases { all[widget] = resolve(settings[widget] ?? WidgetSettings(), for: widget, base: base) }
        return all
    }
}
