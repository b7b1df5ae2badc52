import Domain
import Engine
import Foundation
import Hummingbird
import NIOCore

/// `POST /v1/events`: shopper behaviour, acknowledged once it is in PostgreSQL.
struct EventRoutes: Sendable {
    let services: ServiceBundle

    func register(on group: RouterGroup<APIRequestContext>) {
        let bounds = services.configuration.inputBounds
        group.post("events") { request, context in
            var request = request
            let buffer = try await HTTPBody.collect(&request, limit: self.services.configuration.maximumBodySize)
            let inputs = try EventBatchBody.decode(buffer)
            try bounds.checkCount(inputs.count, minimum: 1, maximum: bounds.maximumEventBatch, field: "events")
            let now = Date()
            let batch = inputs.count > 1
            let events = try inputs.enumerated().map { index, input in
                try input.validated(
                    now: now, prefix: batch ? "events[\(index)]." : "", bounds: bounds,
                    catalogPrice: { self.services.catalog.product($0)?.price })
            }
            let accepted = try await self.services.events.ingest(events, idempotencyKeys: inputs.map(\.eventID))
            return try HTTPBody.json(EventBatchResult(accepted: accepted), status: .accepted)
        }

    }
}

struct EventBatchResult: Encodable {
    var accepted: Int
}

/// `POST /v1/events` takes one event, an array, or `{"events": [...]}`.
enum EventBatchBody {
    struct Wrapped: Decodable { var events: [EventInput]? }

    static func decode(_ buffer: ByteBuffer) throws -> [EventInput] {
        let data = Data(buffer.readableBytesView)
        let trimmed = data.first(where: { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09) })
        if trimmed == UInt8(ascii: "[") {
            return try BodyDecoder.decode([EventInput].self, from: buffer)
        }
        if let wrapped = try? BodyDecoder.makeDecoder().decode(Wrapped.self, from: data), let events = wrapped.events {
            return events
        }
        return [try BodyDecoder.decode(EventInput.self, from: buffer)]
    }
}
