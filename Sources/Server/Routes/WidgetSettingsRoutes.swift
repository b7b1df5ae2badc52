import Domain
import Engine
import Foundation
import Hummingbird
import Ranking

/// `/v1/widgets…`: each widget's standing settings (ranking parameters, block list, pins).
struct WidgetSettingsRoutes: Sendable {
    let services: ServiceBundle

    func register(on group: RouterGroup<APIRequestContext>) {
        let settings = services.widgetSettings
        let limit = services.configuration.maximumBodySize
        group.get("widgets") { _, _ in
            try HTTPBody.json(WidgetList(widgets: try await settings.all()), encoder: Self.encoder)
        }
        group.get("widgets/{widget}/settings") { _, context in
            try HTTPBody.json(try await settings.find(try Self.widget(context)), encoder: Self.encoder)
        }
        group.put("widgets/{widget}/settings") { request, context in
            let widget = try Self.widget(context)
            var request = request
            let body = try await HTTPBody.decode(WidgetSettings.self, from: &request, limit: limit)
            return try HTTPBody.json(try await settings.replace(widget, with: body), encoder: Self.encoder)
        }
        group.delete("widgets/{widget}/settings") { _, context in
            try await settings.reset(try Self.widget(context))
            return Response(status: .noContent)
        }
    }

    struct WidgetList: Encodable {
        var widgets: [WidgetSettingsService.View]
    }

    /// snake_case throughout, including the effective options' nested keys.
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()

    static func widget(_ context: APIRequestContext) throws -> Widget {
        guard let widget = Widget(rawValue: try context.parameters.require("widget")) else {
            throw APIError.notFound("widget", field: "widget")
        }
        return widget
    }
}
