import Foundation
import Storage
import Support

/// `/health`: liveness plus each dependency. `status` is `ok` when everything answers,
/// `degraded` when Redis or a model is missing (the service still answers, see README
/// "Degraded modes"), and `down` only when PostgreSQL is unreachable *and* nothing is loaded.
public struct HealthReport: Codable, Sendable {
    public struct Dependency: Codable, Sendable {
        public var status: String
        public var latencyMs: Double?
        enum CodingKeys: String, CodingKey { case status, latencyMs = "latency_ms" }
    }

    public var status: String
    public var postgres: Dependency
    public var redis: Dependency
    public var models: [String: String]
    public var catalogProducts: Int
    public var uptimeSeconds: Double
    public var exposures: ExposureQueue

    /// The exposure writer's queue: `degraded` once the oldest row waits past the warning age.
    public struct ExposureQueue: Codable, Sendable {
        public var queueDepth: Int
        public var oldestAgeSeconds: Double
        public var deadLettered: Int
        enum CodingKeys: String, CodingKey {
            case queueDepth = "queue_depth", oldestAgeSeconds = "oldest_age_seconds", deadLettered = "dead_lettered"
        }
    }

    enum CodingKeys: String, CodingKey {
        case status, postgres, redis, models, catalogProducts = "catalog_products", uptimeSeconds = "uptime_seconds"
        case exposures
    }
}

public final class HealthService: Sendable {
    let replica: ReplicaState
    let exposures: ExposureWriter
    let exposureQueueAgeWarning: Double
    let started = Date()

    package init(replica: ReplicaState, exposures: ExposureWriter, exposureQueueAgeWarning: Double) {
        self.replica = replica
        self.exposures = exposures
        self.exposureQueueAgeWarning = exposureQueueAgeWarning
    }

    public func report() async -> HealthReport {
        async let pg = Self.measure { await self.replica.postgres.ping() }
        async let rd = Self.measure { await self.replica.redis.ping() }
        let (postgresUp, postgresMs) = await pg
        let (redisUp, redisMs) = await rd
        let versions = replica.models.modelVersions
        var status = "ok"
        let queue = HealthReport.ExposureQueue(
            queueDepth: exposures.pending, oldestAgeSeconds: exposures.oldestPendingAge,
            deadLettered: exposures.deadLetteredCount)
        if !redisUp || versions.count < 2 || queue.oldestAgeSeconds > exposureQueueAgeWarning { status = "degraded" }
        if !postgresUp { status = replica.catalog.count > 0 ? "degraded" : "down" }
        return HealthReport(
            status: status,
            postgres: .init(status: postgresUp ? "up" : "down", latencyMs: postgresUp ? postgresMs : nil),
            redis: .init(status: redisUp ? "up" : "down", latencyMs: redisUp ? redisMs : nil),
            models: versions, catalogProducts: replica.catalog.liveCount,
            uptimeSeconds: Date().timeIntervalSince(started), exposures: queue)
    }

    private static func measure(_ body: @Sendable () async -> Bool) async -> (Bool, Double) {
        let clock = ContinuousClock()
        let start = clock.now
        let ok = await body()
        let elapsed = start.duration(to: clock.now)
        return (ok, elapsed.inMilliseconds)
    }
}
