import NIOCore
import Support

extension RecommendationResponse {
    /// The response as JSON bytes, keys sorted: the same document `HTTPBody.encoder` makes from
    /// the `Codable` conformance (a test decodes both and compares), written directly.
    func jsonBuffer() -> ByteBuffer {
        var json = JSONByteWriter(capacity: 512 + items.count * (explain ? 400 : 160))
        json.beginObject()
        if let degraded { json.field("degraded", degraded) }
        if let experiment {
            json.key("experiment")
            json.beginObject()
            json.field("key", experiment.key)
            json.field("variant", experiment.variant)
            json.endObject()
        }
        json.key("generated_at")
        json.date(generatedAt)
        json.key("items")
        json.beginArray()
        for item in items { Self.write(item, to: &json) }
        json.endArray()
        json.key("model_versions")
        json.beginObject()
        for (name, version) in modelVersions.sorted(by: { $0.key < $1.key }) {
            json.key(name)
            json.string(version)
        }
        json.endObject()
        if let notes { json.field("notes", notes) }
        json.field("request_id", requestID)
        json.key("timings_ms")
        json.beginObject()
        json.field("candidates", timingsMs.candidates)
        json.field("rerank", timingsMs.rerank)
        json.field("rules", timingsMs.rules)
        json.field("scoring", timingsMs.scoring)
        json.field("total", timingsMs.total)
        json.endObject()
        json.field("widget", widget)
        json.endObject()
        return json.buffer
    }

    private var explain: Bool { items.first?.explain != nil }

    private static func write(_ item: Item, to json: inout JSONByteWriter) {
        json.beginObject()
        json.field("category", item.category)
        json.field("currency", item.currency)
        if let explain = item.explain {
            json.key("explain")
            json.beginObject()
            json.field("blended", explain.blended)
            json.field("co_purchase", explain.coPurchase)
            json.field("content", explain.content)
            if let logit = explain.crossEncoderLogit { json.field("cross_encoder_logit", logit) }
            json.field("final", explain.final)
            json.field("popularity", explain.popularity)
            json.key("raw")
            json.beginObject()
            for (origin, score) in explain.raw.sorted(by: { $0.key < $1.key }) {
                json.key(origin)
                json.number(score)
            }
            json.endObject()
            json.field("rules", explain.rules)
            json.field("similar_users", explain.similarUsers)
            json.endObject()
        }
        json.field("name", item.name)
        json.key("position")
        json.number(item.position)
        json.field("price", item.price)
        json.field("product_id", item.productID)
        json.field("score", item.score)
        json.endObject()
    }
}
