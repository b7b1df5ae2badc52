import MiniLM

/// Adapts `MiniLM.CrossEncoder` (blocking BLAS work) to `PairScorer`.
///
/// Where the blocking call runs is the caller's choice, through `executor`: the server passes
/// one that hops to its model `NIOThreadPool` (never an event loop); offline tools and tests may
/// run it inline (the default).
public struct CrossEncoderPairScorer: PairScorer {
    /// Runs a blocking job somewhere and returns its result; the executor tells the job how many
    /// threads it may use (the server's model pool gives a lone call all its cores, concurrent
    /// calls one each).
    public typealias Executor = @Sendable (_ job: @escaping @Sendable (_ threads: Int) -> [Float]) async throws -> [Float]

    public let encoder: CrossEncoder
    public let executor: Executor

    public var modelVersion: String { encoder.modelVersion }

    /// Without an executor the job runs inline on the encoder's own thread count.
    public init(encoder: CrossEncoder, executor: Executor? = nil) {
        self.encoder = encoder
        self.executor = executor ?? { [threads = encoder.threads] job in job(threads) }
    }

    public func score(pairs: [(query: String, document: String)]) async throws -> [Float] {
        guard !pairs.isEmpty else { return [] }
        let queries = pairs.map(\.query)
        let documents = pairs.map(\.document)
        let encoder = self.encoder
        return try await executor { threads in
            encoder.score(pairs: Array(zip(queries, documents)).map { (query: $0.0, document: $0.1) }, threads: threads)
        }
    }
}
