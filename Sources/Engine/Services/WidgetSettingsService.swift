import Domain
import Experiments
import Ranking

/// Per-widget settings administration for merchandisers: read, replace and reset one widget's
/// standing settings (`WidgetSettings`). PostgreSQL holds them; this replica applies a change at
/// once, the others at their next refresh.
public final class WidgetSettingsService: Sendable {
    let store: PostgresWidgetSettingsStore
    let table: WidgetSettingsTable
    let maximumLimit: Int
    let experiments: ExperimentRouter
    let validator = ExperimentValidator()

    package init(store: PostgresWidgetSettingsStore, table: WidgetSettingsTable, maximumLimit: Int, experiments: ExperimentRouter) {
        self.store = store
        self.table = table
        self.maximumLimit = maximumLimit
        self.experiments = experiments
    }

    /// What a widget's settings endpoint answers: the stored settings, the options they resolve
    /// to (before any experiment variant), and the running experiments that override some of
    /// them for some users (`overridden_by`: which keys, which variants, who).
    public struct View: Encodable, Sendable {
        public var widget: String
        public var settings: WidgetSettings
        public var effective: PipelineOptions
        public var overriddenBy: [SettingsOverride]
    }

    /// Every widget, stored settings or not. Reads PostgreSQL (the source of truth) and, while at
    /// it, brings this replica's copy up to date.
    public func all() async throws -> [View] {
        let stored = try await loadAndInstall()
        return Widget.allCases.map { view(stored[$0] ?? WidgetSettings(), for: $0) }
    }

    /// One widget, read like `all()`.
    public func find(_ widget: Widget) async throws -> View {
        view(try await loadAndInstall()[widget] ?? WidgetSettings(), for: widget)
    }

    /// Validates and stores `settings` as the widget's whole settings (what is left out is reset).
    public func replace(_ widget: Widget, with settings: WidgetSettings) async throws -> View {
        try ServiceError.check(settings.validate(maximumLimit: maximumLimit, validator: validator))
        try await ServiceError.postgresGuarded { try await self.store.save(settings, for: widget) }
        table.set(settings, for: widget)
        return view(settings, for: widget)
    }

    /// Back to the built-in defaults (idempotent).
    public func reset(_ widget: Widget) async throws {
        _ = try await ServiceError.postgresGuarded { try await self.store.delete(widget) }
        table.set(nil, for: widget)
    }

    private func loadAndInstall() async throws -> [Widget: WidgetSettings] {
        let stored = try await ServiceError.postgresGuarded { try await self.store.load() }
        table.replace(with: stored)
        return stored
    }

    private func view(_ settings: WidgetSettings, for widget: Widget) -> View {
        View(
            widget: widget.rawValue, settings: settings, effective: table.resolve(settings, for: widget).options,
            overriddenBy: SettingsOverride.overrides(of: widget, in: experiments.runningExperiments))
    }
}
