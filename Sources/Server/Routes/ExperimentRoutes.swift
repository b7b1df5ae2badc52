import Engine
import Experiments
import Foundation
import Hummingbird
import HummingbirdCore

/// `/v1/experiments…`: administration for product managers and results for analysts.
struct ExperimentRoutes: Sendable {
    let services: ServiceBundle

    func register(on group: RouterGroup<APIRequestContext>) {
        let experiments = services.experiments
        let limit = services.configuration.maximumBodySize
        let bounds = services.configuration.inputBounds
        group.get("experiments") { _, _ in
            try HTTPBody.json(ExperimentList(experiments: try await experiments.list()), encoder: Self.encoder)
        }
        group.post("experiments") { request, _ in
            var request = request
            let experiment = try await Self.decodeExperiment(from: &request, limit: limit, bounds: bounds)
            return try HTTPBody.json(try await experiments.create(experiment), status: .created, encoder: Self.encoder)
        }
        group.get("experiments/{key}") { _, context in
            try HTTPBody.json(try await experiments.find(try PathParameter.id(context, "key", bounds: bounds)), encoder: Self.encoder)
        }
        group.put("experiments/{key}") { request, context in
            let key = try PathParameter.id(context, "key", bounds: bounds)
            var request = request
            var experiment = try await Self.decodeExperiment(from: &request, limit: limit, bounds: bounds)
            // The path names the experiment; the body may repeat the key but need not.
            if experiment.key.isEmpty { experiment.key = key }
            return try HTTPBody.json(try await experiments.update(key, to: experiment), encoder: Self.encoder)
        }
        group.post("experiments/{key}/start") { _, context in
            try HTTPBody.json(
                try await experiments.transition(try PathParameter.id(context, "key", bounds: bounds), to: .running), encoder: Self.encoder)
        }
        group.post("experiments/{key}/stop") { _, context in
            try HTTPBody.json(
                try await experiments.transition(try PathParameter.id(context, "key", bounds: bounds), to: .stopped), encoder: Self.encoder)
        }
        group.get("experiments/{key}/results") { _, context in
            let key = try PathParameter.id(context, "key", bounds: bounds)
            let experiment = try await experiments.find(key)
            return try HTTPBody.json(try await experiments.results.results(for: experiment), encoder: Self.encoder)
        }
    }

    struct ExperimentList: Encodable {
        var experiments: [Experiment]
    }

    static let encoder: JSONEncoder = {
        let encoder = ExperimentCoding.makeEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()

    static func decodeExperiment(from request: inout Request, limit: Int, bounds: InputBounds) async throws -> Experiment {
        let experiment = try await decodeExperimentBody(from: &request, limit: limit)
        // Its times bound every results and rollup query: keep them inside what PostgreSQL takes.
        if let startsAt = experiment.startsAt { try bounds.checkTimestamp(startsAt, field: "starts_at") }
        if let endsAt = experiment.endsAt { try bounds.checkTimestamp(endsAt, field: "ends_at") }
        return experiment
    }

    private static func decodeExperimentBody(from request: inout Request, limit: Int) async throws -> Experiment {
        let buffer = try await HTTPBody.collect(&request, limit: limit)
        let data = Data(buffer.readableBytesView)
        // Definitions are stored whole as jsonb, which refuses NUL: name the field instead of a 500.
        if let field = InputBounds.firstNulField(inJSON: data) {
            throw APIError.invalid(field, "\(field) must not contain NUL")
        }
        do {
            return try ExperimentCoding.makeDecoder().decode(Experiment.self, from: data)
        } catch let DecodingError.keyNotFound(key, context) {
            throw APIError.missing(BodyDecoder.path(context.codingPath + [key]))
        } catch let DecodingError.typeMismatch(_, context) {
            throw APIError.invalid(BodyDecoder.path(context.codingPath), "\(BodyDecoder.path(context.codingPath)) has the wrong type")
        } catch let DecodingError.valueNotFound(_, context) {
            throw APIError.invalid(BodyDecoder.path(context.codingPath), "\(BodyDecoder.path(context.codingPath)) must not be null")
        } catch let DecodingError.dataCorrupted(context) {
            throw APIError.invalid(BodyDecoder.path(context.codingPath), "\(BodyDecoder.path(context.codingPath)) is malformed")
        } catch let error as FieldError {
            throw APIError.invalid(error.field, error.message)
        } catch {
            throw APIError(status: .badRequest, code: "invalid_body", message: "request body is not a valid experiment")
        }
    }
}
