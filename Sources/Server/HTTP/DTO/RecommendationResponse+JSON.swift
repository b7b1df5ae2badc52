import NIOCore

extension RecommendationResponse {
    /// The response as JSON bytes, keys sorted: the same document `APIRoutes.encoder` makes from
    /// the `Codable` conformance (a test decodes both and compares), written directly.
    func jsonBuffer() -> ByteBuffer {
        var json = JSONByteWriter(capacity: 512 + items.count * (explain ? 400 : 160))
        json.beginObject()
        if let degraded {
            json.key("degraded")
            json.beginArray()
            for entry in degraded { json.string(entry) }
            json.endArray()
        }
        if let experiment {
            json.key("experiment")
            json.beginObject()
            json.key("key")
            json.string(experiment.key)
            json.key("variant")
            json.string(experiment.variant)
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
        if let notes {
            json.key("notes")
            json.beginArray()
            for note in notes { json.string(note) }
            json.endArray()
        }
        json.key("request_id")
        json.string(requestID)
        json.key("timings_ms")
        json.beginObject()
        json.key("candidates")
        json.number(timingsMs.candidates)
        json.key("rerank")
        json.number(timingsMs.rerank)
        json.key("rules")
        json.number(timingsMs.rules)
        json.key("scoring")
        json.number(timingsMs.scoring)
        json.key("total")
        json.number(timingsMs.total)
        json.endObject()
        json.key("widget")
        json.string(widget)
        json.endObject()
        return json.buffer
    }

    private var explain: Bool { items.first?.explain != nil }

    private static func write(_ item: Item, to json: inout JSONByteWriter) {
        json.beginObject()
        json.key("category")
        json.string(item.category)
        json.key("currency")
        json.string(item.currency)
        if let explain = item.explain {
            json.key("explain")
            json.beginObject()
            json.key("blended")
            json.number(explain.blended)
            json.key("co_purchase")
            json.number(explain.coPurchase)
            json.key("content")
            json.number(explain.content)
            if let logit = explain.crossEncoderLogit {
                json.key("cross_encoder_logit")
                json.number(logit)
            }
            json.key("final")
            json.number(explain.final)
            json.key("popularity")
            json.number(explain.popularity)
            json.key("raw")
            json.beginObject()
            for (origin, score) in explain.raw.sorted(by: { $0.key < $1.key }) {
                json.key(origin)
                json.number(score)
            }
            json.endObject()
            json.key("rules")
            json.beginArray()
            for rule in explain.rules { json.string(rule) }
            json.endArray()
            json.key("similar_users")
            json.number(explain.similarUsers)
            json.endObject()
        }
        json.key("name")
        json.string(item.name)
        json.key("position")
        json.number(item.position)
        json.key("price")
        json.number(item.price)
        json.key("product_id")
        json.string(item.productID)
        json.key("score")
        json.number(item.score)
        json.endObject()
    }
}
