import Domain
import Experiments
import Foundation
import Ranking
import Storage

/// The `widget_settings` table (migrations/0200_widget_settings.sql): one JSON document per
/// widget that has settings.
public struct PostgresWidgetSettingsStore: Sendable {
    let postgres: PostgresClient

    public init(postgres: PostgresClient) {
        self.postgres = postgres
    }

    /// Every stored widget's settings. A row this build cannot read (a widget it does not know)
    /// is skipped rather than failing the whole refresh.
    public func load() async throws -> [Widget: WidgetSettings] {
        let rows = try await postgres.query("SELECT widget, settings::text AS settings FROM widget_settings")
        var settings: [Widget: WidgetSettings] = [:]
        for row in rows {
            guard let widget = Widget(rawValue: try row.string("widget")) else { continue }
            // Lenient: the service stored these itself, possibly a newer version of it.
            let decoder = JSONDecoder()
            decoder.userInfo[StrictKeys.lenientUserInfoKey] = true
            settings[widget] = try decoder.decode(WidgetSettings.self, from: Data(try row.string("settings").utf8))
        }
        return settings
    }

    public func save(_ settings: WidgetSettings, for widget: Widget) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(settings), as: UTF8.self)
        _ = try await postgres.execute(
            """
            INSERT INTO widget_settings (widget, settings) VALUES ($1, $2::jsonb)
            ON CONFLICT (widget) DO UPDATE SET settings = EXCLUDED.settings, updated_at = now()
            """,
            [widget.rawValue, json])
    }

    /// Removes a widget's settings; whether there were any.
    @discardableResult
    public func delete(_ widget: Widget) async throws -> Bool {
        try await postgres.execute("DELETE FROM widget_settings WHERE widget = $1", [widget.rawValue]) > 0
    }
}
