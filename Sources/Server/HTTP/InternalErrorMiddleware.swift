import Engine
import Hummingbird
import Logging

/// Turns an error no handler mapped (a failing query, a bug) into the API's JSON error body with
/// 500, logged once with the request id, so a client never gets an empty 500 and the log names
/// the cause without the response echoing it. A request no route matches (Hummingbird's
/// not-found responder, which marks the endpoint "NotFound") gets the JSON body too, with the code
/// `no_route`, instead of an empty 404 — or, when the path exists with other methods, a 405 with
/// `Allow`. The application's `ServiceError`s become their `APIError` (the one mapping); other
/// errors that are already HTTP answers pass through.
public struct InternalErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound && context.endpointPath == "NotFound" {
            let allowed = OpenAPIDocument.methods(forPath: request.uri.path)
            if !allowed.isEmpty {
                throw MethodNotAllowedError(method: request.method, path: request.uri.path, allowed: allowed)
            }
            throw APIError.noRoute(request.method, request.uri.path)
        } catch let error as ServiceError {
            throw APIError(error)
        } catch let error as any HTTPResponseError {
            throw error
        } catch {
            context.logger.error(
                "unhandled error", metadata: ["route": "\(context.endpointPath ?? request.uri.path)", "error": "\(error)"])
            throw APIError(
                status: .internalServerError, code: "internal_error",
                message: "the request failed inside the service; its request id is in the service's log")
        }
    }
}
