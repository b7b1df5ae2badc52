import Foundation
import Storage
import Testing

@Suite("Redis client (hiredis)", .enabled(if: StorageTestEnvironment.hasRedis, "REDIS_URL is not set"))
struct StorageRedisTests {
    /// One client for the suite (a client per test would leave its threads behind).
    static let sharedClient: RedisClient? = StorageTestEnvironment.redisURL.flatMap {
        try? RedisClient(configuration: RedisConfiguration(url: $0, poolSize: 4))
    }

    let redis: RedisClient
    let prefix: String

    init() throws {
        redis = try #require(Self.sharedClient)
        prefix = StorageTestEnvironment.uniqueName("test:redis") + ":"
    }

    @Test func keysWithTTLAndCounters() async throws {
        let key = prefix + "greeting"
        #expect(try await redis.get(key) == nil)
        // An hour, not a minute: under a parallel run on 2 cores this task can wait over a minute
        // for a thread between two commands (CPU-bound encoder tests), and the key expired.
        try await redis.set(key, "héllo 'world' \\ \"🛒\"", ttlSeconds: 3_600)
        #expect(try await redis.get(key) == "héllo 'world' \\ \"🛒\"")
        let ttl = try await redis.command(["TTL", key]).int
        #expect(ttl.map { $0 > 0 && $0 <= 3_600 } == true)
        try await redis.set(prefix + "empty", "")
        #expect(try await redis.mget([key, prefix + "missing", prefix + "empty"]) == ["héllo 'world' \\ \"🛒\"", nil, ""])
        #expect(try await redis.incrBy(prefix + "counter", 5) == 5)
        #expect(try await redis.incrBy(prefix + "counter", -2) == 3)
        #expect(try await redis.expire(prefix + "counter", seconds: 3_600))
        #expect(try await redis.expire(prefix + "missing", seconds: 30) == false)
        #expect(try await redis.del([key, prefix + "counter", prefix + "missing", prefix + "empty"]) == 3)
    }

    @Test func bulkStringsAreBinarySafe() async throws {
        let bytes = (0...255).map { UInt8($0) } + [0, 0, 13, 10]
        try await redis.set(prefix + "binary", bytes: bytes)
        #expect(try await redis.getBytes(prefix + "binary") == bytes)
        _ = try await redis.del([prefix + "binary"])
    }

    @Test func pipelineReturnsRepliesInOrder() async throws {
        let key = prefix + "pipelined"
        let replies = try await redis.pipeline((0..<1000).map { _ in ["INCR", key] } + [["GET", key], ["BOGUSCMD"]])
        #expect(replies.count == 1002)
        #expect(replies.prefix(1000).map(\.int) == (1...1000).map { Optional($0) })
        #expect(replies[1000].string == "1000")
        if case .error = replies[1001] {} else { Issue.record("an unknown command must give an error reply") }
        // The connection is still in step afterwards.
        #expect(try await redis.get(key) == "1000")
        _ = try await redis.del([key])
    }

    @Test func hashesSortedSetsAndLists() async throws {
        let hash = prefix + "hash"
        #expect(try await redis.hset(hash, [("a", "1"), ("b", "two")]) == 2)
        #expect(try await redis.hincrbyfloat(hash, "a", 0.5) == 1.5)
        #expect(try await redis.hgetall(hash) == ["a": "1.5", "b": "two"])
        #expect(try await redis.hgetall(prefix + "nohash") == [:])

        let zset = prefix + "popular"
        #expect(try await redis.zadd(zset, [(1, "p1"), (5, "p2")]) == 2)
        #expect(try await redis.zincrby(zset, 10, "p1") == 11)
        #expect(try await redis.zincrby(zset, 2.5, "p3") == 2.5)
        let top = try await redis.zrevrangeWithScores(zset, start: 0, stop: -1)
        #expect(top.map(\.member) == ["p1", "p2", "p3"])
        #expect(top.map(\.score) == [11, 5, 2.5])
        #expect(try await redis.zscore(zset, "p2") == 5)
        #expect(try await redis.zscore(zset, "nope") == nil)
        #expect(try await redis.zrem(zset, ["p2", "nope"]) == 1)

        let list = prefix + "recent"
        #expect(try await redis.lpush(list, ["a", "b", "c", "d"]) == 4)
        try await redis.ltrim(list, start: 0, stop: 2)
        #expect(try await redis.lrange(list, start: 0, stop: -1) == ["d", "c", "b"])
        _ = try await redis.del([hash, zset, list])
    }

    @Test func serverErrorsNameTheCodeNotTheKey() async throws {
        let key = prefix + "secret-key-name"
        try await redis.set(key, "x")
        do {
            _ = try await redis.lrange(key, start: 0, stop: -1)
            Issue.record("expected WRONGTYPE")
        } catch let error as RedisError {
            #expect(error.code == .server)
            #expect(error.serverCode == "WRONGTYPE")
            #expect(!error.description.contains("secret-key-name"))
        }
        _ = try await redis.del([key])
    }

    @Test func twoHundredConcurrentCommandsOnASmallPool() async throws {
        let key = prefix + "concurrent"
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<200 { group.addTask { _ = try await redis.incrBy(key, 1) } }
            try await group.waitForAll()
        }
        #expect(try await redis.get(key) == "200")
        _ = try await redis.del([key])
    }

    @Test func consumerGroupDeliversEachEntryOnceAndRedeliversUnacked() async throws {
        let stream = prefix + "events"
        let group = "scorers"
        #expect(try await redis.xgroupCreate(stream, group: group, startID: "0"))
        #expect(try await redis.xgroupCreate(stream, group: group, startID: "0") == false)  // BUSYGROUP tolerated

        var added = [String]()
        for index in 0..<50 {
            added.append(try await redis.xadd(stream, fields: [("n", String(index)), ("user", "u\(index % 7)")], maxLength: 10_000))
        }
        #expect(try await redis.xlen(stream) == 50)

        // Two consumers read concurrently until the stream is drained.
        let consumers = ["c1", "c2"]
        let deliveries = try await withThrowingTaskGroup(of: [(String, RedisStreamEntry)].self) { tasks in
            for consumer in consumers {
                tasks.addTask {
                    var got = [(String, RedisStreamEntry)]()
                    while true {
                        let batch = try await redis.xreadGroup(stream, group: group, consumer: consumer, count: 7)
                        if batch.isEmpty { return got }
                        got += batch.map { (consumer, $0) }
                    }
                }
            }
            var all = [(String, RedisStreamEntry)]()
            for try await part in tasks { all += part }
            return all
        }
        let ids = deliveries.map(\.1.id)
        #expect(ids.count == 50, "each entry delivered once")
        #expect(Set(ids) == Set(added))
        #expect(deliveries.allSatisfy { $0.1.fields["n"] != nil && $0.1.fields["user"] != nil })

        // Acknowledge all but three; those stay pending and are redelivered.
        let unacked = Array(ids.prefix(3))
        #expect(try await redis.xack(stream, group: group, ids: Array(ids.dropFirst(3))) == 47)
        #expect(try await redis.xpendingCount(stream, group: group) == 3)
        #expect(try await redis.xreadGroup(stream, group: group, consumer: "c1", count: 10).isEmpty)

        let claimed = try await redis.xautoclaim(stream, group: group, consumer: "c3", minIdleMilliseconds: 0)
        #expect(Set(claimed.entries.map(\.id)) == Set(unacked))
        #expect(try await redis.xack(stream, group: group, ids: claimed.entries.map(\.id)) == 3)
        #expect(try await redis.xpendingCount(stream, group: group) == 0)

        // A blocking read with nothing new returns empty after the block time, not an error.
        let start = Date()
        let none = try await redis.xreadGroup(stream, group: group, consumer: "c1", count: 10, blockMilliseconds: 300)
        #expect(none.isEmpty)
        #expect(Date().timeIntervalSince(start) >= 0.25)
        // A blocking read wakes up for a new entry.
        async let waiting = redis.xreadGroup(stream, group: group, consumer: "c1", count: 10, blockMilliseconds: 5000)
        try await Task.sleep(for: .milliseconds(100))
        let late = try await redis.xadd(stream, fields: [("n", "late")])
        #expect(try await waiting.map(\.id) == [late])
        _ = try await redis.del([stream])
    }

    @Test func concurrentPipelinesEachGetTheirOwnReplies() async throws {
        let key = prefix + "mux:"
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<300 {
                group.addTask {
                    let replies = try await redis.pipeline([
                        ["SET", key + String(index), String(index)], ["GET", key + String(index)], ["ECHO", "e\(index)"],
                    ])
                    #expect(replies == [.status("OK"), .bulk(Array(String(index).utf8)), .bulk(Array("e\(index)".utf8))])
                }
            }
            try await group.waitForAll()
        }
        _ = try await redis.del((0..<300).map { key + String($0) })
    }

    @Test func theURLsDatabaseIsSelectedOnEveryConnection() async throws {
        let url = try #require(StorageTestEnvironment.redisURL)
        let other = try RedisClient(configuration: RedisConfiguration(url: url + "/5", poolSize: 2))
        let key = prefix + "db5"
        // Concurrent commands, so both pooled connections connect; each must be in database 5.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<8 { group.addTask { try await other.set(key, "five") } }
            try await group.waitForAll()
        }
        #expect(try await redis.get(key) == nil, "database 0 does not see it")
        for _ in 0..<4 { #expect(try await other.get(key) == "five") }
        _ = try await other.del([key])
        await other.close()
    }

    @Test func aRejectedPasswordIsAConnectionFailureNamingTheServerCode() async throws {
        let url = try #require(StorageTestEnvironment.redisURL)
        let withPassword = url.replacingOccurrences(of: "redis://", with: "redis://:wrong@")
        let client = try RedisClient(configuration: RedisConfiguration(url: withPassword, poolSize: 1))
        do {
            _ = try await client.command(["PING"])
            Issue.record("AUTH against a server without a password must fail")
        } catch let error as RedisError {
            #expect(error.code == .connectionFailed)
            #expect(error.serverCode == "ERR")
        }
        await client.close()
    }

    @Test func aClosedPortIsAConnectionFailure() async throws {
        let client = try RedisClient(configuration: RedisConfiguration(url: "redis://127.0.0.1:1", poolSize: 1))
        do {
            _ = try await client.command(["PING"])
            Issue.record("nothing listens on port 1")
        } catch let error as RedisError {
            #expect(error.code == .connectionFailed)
            #expect(error.isRetryable)
        }
        #expect(await client.ping() == false)
        await client.close()
    }

    @Test func aServerThatNeverAnswersTimesOutRetryably() async throws {
        // A listening socket nobody accepts from: the kernel completes the handshake, no reply comes.
        let silent = try SilentListener()
        let client = try RedisClient(configuration: RedisConfiguration(
            url: "redis://127.0.0.1:\(silent.port)", poolSize: 1, commandTimeoutSeconds: 0.2))
        // (No wall-clock bound here: in the parallel suite the awaiting task can wait long for a
        // cooperative thread; the error's code is what says the reply timeout fired.)
        do {
            _ = try await client.command(["PING"])
            Issue.record("no reply must time out")
        } catch let error as RedisError {
            #expect(error.code == .timeout)
            #expect(error.isRetryable)
        }
        await client.close()
        await #expect(throws: RedisError.self) { _ = try await client.command(["PING"]) }
    }

    @Test func aClosedClientRefusesCommands() async throws {
        let url = try #require(StorageTestEnvironment.redisURL)
        let client = try RedisClient(configuration: RedisConfiguration(url: url, poolSize: 1))
        #expect(await client.ping())
        await client.close()
        do {
            _ = try await client.command(["PING"])
            Issue.record("a closed client must refuse")
        } catch let error as RedisError {
            #expect(error.code == .poolClosed)
        }
    }

    @Test func killedConnectionIsReplaced() async throws {
        let url = try #require(StorageTestEnvironment.redisURL)
        let single = try RedisClient(configuration: RedisConfiguration(url: url, poolSize: 1))
        let id = try #require(try await single.command(["CLIENT", "ID"]).int)
        #expect(try await redis.command(["CLIENT", "KILL", "ID", String(id)]).int == 1)
        try await Task.sleep(for: .milliseconds(100))
        #expect(await single.ping())
        let newID = try #require(try await single.command(["CLIENT", "ID"]).int)
        #expect(newID != id)
        await single.close()
    }
}

/// A TCP listener on a free loopback port that never accepts: connections complete in the
/// kernel's backlog and never get a byte back.
private final class SilentListener {
    let port: Int
    private let descriptor: Int32

    init() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(descriptor, generic, length) == 0 && listen(descriptor, 8) == 0
                    && getsockname(descriptor, generic, &length) == 0
            }
        }
        guard bound else {
            close(descriptor)
            throw RedisError(code: .connectionFailed, detail: "listener")
        }
        self.descriptor = descriptor
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(descriptor) }
}
