import Foundation
import Logging
import MiniLM
import NIOConcurrencyHelpers
import NIOPosix
import ServiceLifecycle

/// The MiniLM models and the threads they run on.
///
/// BLAS work never runs on the event loops: every call hops to a dedicated `NIOThreadPool`
/// whose size is `modelThreads`. A rerank that finds no other model call running uses all
/// `modelThreads` cores (its batch split across them: lowest latency for one shopper); while
/// another call runs, each uses one thread, so concurrent calls never put more busy threads on
/// the cores than the pool has (throughput under load). The 2-core split is measured in
/// docs/benchmarks/service.md.
///
/// As a lifecycle `Service` it lives until graceful shutdown, then lets the running model calls
/// finish and stops its threads; the service group shuts it down after the HTTP server, so no
/// request still waiting for a model finds the pool gone.
public final class ModelRuntime: Sendable, Service {
    public let biEncoder: BiEncoder?
    public let crossEncoder: CrossEncoder?
    private let threadPool: NIOThreadPool
    private let poolThreads: Int
    /// Model calls running now (read when a call starts, to choose its thread count).
    private let running = NIOLockedValueBox(0)
    /// The loaded models' versions by role (`bi_encoder`, `cross_encoder`), as every response
    /// reports them; fixed at load, so built once rather than per response.
    public let modelVersions: [String: String]

    /// Starts the model pool and loads the models the configuration names, on the pool's threads
    /// rather than the caller's: reading, hashing and laying out the weights (about 100 MB) is
    /// seconds of blocking work — tens of seconds in a debug build — and on Swift's cooperative
    /// pool it would hold a thread every other task of the process needs. A model that fails to
    /// load is logged and left out; the replica serves without it.
    public static func load(configuration: ServiceConfiguration, logger: Logger) async -> ModelRuntime {
        let threads = max(1, configuration.modelThreads)
        let threadPool = NIOThreadPool(numberOfThreads: threads)
        threadPool.start()
        guard configuration.loadModels else {
            return ModelRuntime(threadPool: threadPool, threads: threads, biEncoder: nil, crossEncoder: nil)
        }
        let biEncoderDirectory = URL(fileURLWithPath: configuration.biEncoderDirectory)
        let crossEncoderDirectory = URL(fileURLWithPath: configuration.crossEncoderDirectory)
        let loaded = try? await threadPool.runIfActive { () -> LoadedModels in
            var models = LoadedModels()
            do {
                models.biEncoder = try BiEncoder(modelDirectory: biEncoderDirectory, threads: threads)
            } catch {
                logger.warning("bi-encoder not loaded; content search uses stored embeddings only", metadata: ["error": "\(error)"])
            }
            do {
                models.crossEncoder = try CrossEncoder(modelDirectory: crossEncoderDirectory, threads: threads)
            } catch {
                logger.warning("cross-encoder not loaded; rerank is off", metadata: ["error": "\(error)"])
            }
            return models
        }
        logger.info("model pool started", metadata: ["blas": "\(BLASThreading.libraryDescription)", "threads": "\(threads)"])
        if OpenBLASCoreType.isGenericFallback(OpenBLASCoreType.detected) {
            // `hybridrank` restarts itself to avoid this; here only if the operator chose it, the
            // restart failed or the CPU has no AVX2.
            logger.warning(
                "OpenBLAS runs its generic kernels: the encoders are several times slower than an AVX2 or AVX-512 CPU allows; see README, \"BLAS kernels\"",
                metadata: ["openblas_coretype": "\(ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] ?? "unset")"])
        }
        return ModelRuntime(threadPool: threadPool, threads: threads, biEncoder: loaded?.biEncoder, crossEncoder: loaded?.crossEncoder)
    }

    private init(threadPool: NIOThreadPool, threads: Int, biEncoder: BiEncoder?, crossEncoder: CrossEncoder?) {
        self.threadPool = threadPool
        self.poolThreads = threads
        self.biEncoder = biEncoder
        self.crossEncoder = crossEncoder
        var versions: [String: String] = [:]
        if let biEncoder { versions["bi_encoder"] = biEncoder.modelVersion }
        if let crossEncoder { versions["cross_encoder"] = crossEncoder.modelVersion }
        self.modelVersions = versions
    }

    /// Embeds texts with the bi-encoder on the model pool (L2-normalised vectors).
    public func embed(_ texts: [String]) async throws -> [[Float]] {
        guard let biEncoder else { throw ModelUnavailableError(model: "bi-encoder") }
        return try await threadPool.runIfActive { biEncoder.embed(texts) }
    }

    /// Scores (query, document) pairs with the cross-encoder on the model pool (raw logits).
    public func score(pairs: [(query: String, document: String)]) async throws -> [Float] {
        guard let crossEncoder else { throw ModelUnavailableError(model: "cross-encoder") }
        let sendablePairs = pairs.map { SendablePair(query: $0.query, document: $0.document) }
        return try await threadPool.runIfActive {
            crossEncoder.score(pairs: sendablePairs.map { (query: $0.query, document: $0.document) })
        }
    }

    /// Runs BLAS work on the model pool (the reranker's executor), telling the job how many
    /// threads it may use: all of the pool's when no other call is running, else one.
    public func run(_ job: @escaping @Sendable (_ threads: Int) -> [Float]) async throws -> [Float] {
        try await threadPool.runIfActive { [running, poolThreads] in
            let threads = running.withLockedValue { count in
                count += 1
                return count == 1 ? poolThreads : 1
            }
            defer { running.withLockedValue { $0 -= 1 } }
            return job(threads)
        }
    }

    /// Waits for graceful shutdown, then stops the model threads.
    public func run() async throws {
        try? await gracefulShutdown()
        try? await threadPool.shutdownGracefully()
    }
}

/// What `ModelRuntime.load` hands back from the model pool.
private struct LoadedModels: Sendable {
    var biEncoder: BiEncoder?
    var crossEncoder: CrossEncoder?
}

private struct SendablePair: Sendable {
    var query: String
    var document: String
}

/// A model the request needs is not loaded (missing files); the caller degrades.
public struct ModelUnavailableError: Error, CustomStringConvertible {
    public var model: String
    public var description: String { "\(model) is not loaded" }
}
