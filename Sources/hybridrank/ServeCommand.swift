import ArgumentParser
import Engine
import Foundation
import Hummingbird
import Logging
import Server
import ShopData

/// `hybridrank serve`: runs the HTTP service until SIGTERM/SIGINT.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Serve the HTTP API (PORT, DATABASE_URL, REDIS_URL from the environment).")

    @Option(help: "Port to listen on (default: PORT or 8080).") var port: Int?
    @Option(help: "Address to bind (default: HOST or 127.0.0.1).") var host: String?
    @Option(help: "Threads for the BLAS/model pool (default 2: a lone rerank uses both cores, concurrent reranks one each).") var modelThreads: Int?
    @Option(help: "HTTP event-loop threads (default: HYBRIDRANK_HTTP_THREADS or one per two cores).") var httpThreads: Int?
    @Option(help: "Content index: exact or hnsw (default: HYBRIDRANK_VECTOR_INDEX or exact).") var vectorIndex: String?
    @Option(help: "Log level: trace, debug, info, notice, warning, error.") var logLevel: String = "info"
    @Flag(help: "Serve on a non-loopback address even with no API keys (everything open; HYBRIDRANK_ALLOW_OPEN=1).")
    var allowOpen = false

    func run() async throws {
        var configuration = ServiceConfiguration(environment: ProcessInfo.processInfo.environment)
        if let port { configuration.port = port }
        if let host { configuration.host = host }
        if let modelThreads { configuration.modelThreads = modelThreads }
        if allowOpen { configuration.access.allowOpen = true }
        if let httpThreads {
            guard httpThreads > 0 else { throw ValidationError("--http-threads must be at least 1") }
            configuration.httpThreads = httpThreads
        }
        if let vectorIndex {
            guard let kind = VectorIndexKind(argument: vectorIndex) else { throw ValidationError("--vector-index must be exact or hnsw") }
            configuration.vectorIndex = kind
        }
        // JSON lines (structured logs; see `JSONLogHandler` for why not swift-log's text handler).
        LoggingSystem.bootstrap { label in JSONLogHandler(label: label) }
        var logger = Logger(label: "hybridrank")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        // A crash (a trap, a bad pointer, abort) still leaves one JSON line in the log.
        FatalSignalLog.install()
        do {
            let app = try await HybridRankApplication.makeApplication(configuration: configuration, logger: logger)
            logger.notice("hybridrank serving", metadata: ["host": "\(configuration.host)", "port": "\(configuration.port)"])
            do {
                try await app.runService()
            } catch {
                logger.critical("hybridrank stopped on an error", metadata: ["error": "\(error)"])
                throw error
            }
        } catch let refusal as OpenModeRefusal {
            logger.critical("\(refusal.description)")
            FileHandle.standardError.write(Data("serve: \(refusal.description)\n".utf8))
            throw ExitCode.failure
        }
        // The exposure writer's own line (before this one) says what was flushed and spilled.
        logger.notice("hybridrank stopped")
    }
}
