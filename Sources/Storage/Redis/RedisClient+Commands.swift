/// Typed helpers for keys, hashes, sorted sets and lists. Each throws `RedisError` for error
/// replies and for replies of an unexpected shape.
extension RedisClient {
    // MARK: Keys

    /// `GET`: the value as UTF-8 text, nil when the key is missing.
    public func get(_ key: String) async throws -> String? {
        let reply = try await command(["GET", key]).throwingOnError()
        return reply.isNull ? nil : try expect(reply.string)
    }

    /// `GET` for binary values.
    public func getBytes(_ key: String) async throws -> [UInt8]? {
        let reply = try await command(["GET", key]).throwingOnError()
        return reply.isNull ? nil : try expect(reply.bytes)
    }

    /// `SET key value [EX ttl]`.
    public func set(_ key: String, _ value: String, ttlSeconds: Int? = nil) async throws {
        var arguments = ["SET", key, value]
        if let ttlSeconds { arguments += ["EX", String(max(1, ttlSeconds))] }
        _ = try await command(arguments).throwingOnError()
    }

    /// `SET` for binary values.
    public func set(_ key: String, bytes value: [UInt8], ttlSeconds: Int? = nil) async throws {
        var arguments: [[UInt8]] = [Array("SET".utf8), Array(key.utf8), value]
        if let ttlSeconds { arguments += [Array("EX".utf8), Array(String(max(1, ttlSeconds)).utf8)] }
        _ = try await command(bytes: arguments).throwingOnError()
    }

    /// `MGET`: one entry per key, nil where missing.
    public func mget(_ keys: [String]) async throws -> [String?] {
        guard !keys.isEmpty else { return [] }
        let elements = try expect(try await command(["MGET"] + keys).throwingOnError().array)
        return elements.map { $0.isNull ? nil : $0.string }
    }

    /// `DEL`: how many keys existed.
    @discardableResult
    public func del(_ keys: [String]) async throws -> Int {
        guard !keys.isEmpty else { return 0 }
        return try expect(try await command(["DEL"] + keys).throwingOnError().int)
    }

    /// `EXPIRE`: whether the key exists (and now has the TTL).
    @discardableResult
    public func expire(_ key: String, seconds: Int) async throws -> Bool {
        try expect(try await command(["EXPIRE", key, String(seconds)]).throwingOnError().int) == 1
    }

    /// `INCRBY`: the new value.
    @discardableResult
    public func incrBy(_ key: String, _ amount: Int) async throws -> Int {
        try expect(try await command(["INCRBY", key, String(amount)]).throwingOnError().int)
    }

    // MARK: Hashes

    /// `HSET key f1 v1 f2 v2 …`: how many fields were new.
    @discardableResult
    public func hset(_ key: String, _ fields: [(String, String)]) async throws -> Int {
        guard !fields.isEmpty else { return 0 }
        var arguments = ["HSET", key]
        for (field, value) in fields { arguments += [field, value] }
        return try expect(try await command(arguments).throwingOnError().int)
    }

    /// `HGETALL` as a dictionary (empty when the key is missing).
    public func hgetall(_ key: String) async throws -> [String: String] {
        let elements = try expect(try await command(["HGETALL", key]).throwingOnError().array)
        return try Self.pairs(elements)
    }

    /// `HINCRBYFLOAT`: the new value.
    @discardableResult
    public func hincrbyfloat(_ key: String, _ field: String, _ amount: Double) async throws -> Double {
        try expect(try await command(["HINCRBYFLOAT", key, field, String(amount)]).throwingOnError().double)
    }

    // MARK: Sorted sets

    /// `ZINCRBY`: the member's new score.
    @discardableResult
    public func zincrby(_ key: String, _ amount: Double, _ member: String) async throws -> Double {
        try expect(try await command(["ZINCRBY", key, String(amount), member]).throwingOnError().double)
    }

    /// `ZADD key s1 m1 s2 m2 …`: how many members were new.
    @discardableResult
    public func zadd(_ key: String, _ members: [(score: Double, member: String)]) async throws -> Int {
        guard !members.isEmpty else { return 0 }
        var arguments = ["ZADD", key]
        for (score, member) in members { arguments += [String(score), member] }
        return try expect(try await command(arguments).throwingOnError().int)
    }

    /// `ZREVRANGE key start stop WITHSCORES`: highest scores first.
    public func zrevrangeWithScores(_ key: String, start: Int, stop: Int) async throws -> [(member: String, score: Double)] {
        let elements = try expect(
            try await command(["ZREVRANGE", key, String(start), String(stop), "WITHSCORES"]).throwingOnError().array)
        guard elements.count % 2 == 0 else { throw Self.unexpected() }
        var result = [(member: String, score: Double)]()
        result.reserveCapacity(elements.count / 2)
        var index = 0
        while index < elements.count {
            result.append((try expect(elements[index].string), try expect(elements[index + 1].double)))
            index += 2
        }
        return result
    }

    /// `ZSCORE`: nil when the member (or key) is missing.
    public func zscore(_ key: String, _ member: String) async throws -> Double? {
        let reply = try await command(["ZSCORE", key, member]).throwingOnError()
        return reply.isNull ? nil : try expect(reply.double)
    }

    /// `ZREM`: how many members were removed.
    @discardableResult
    public func zrem(_ key: String, _ members: [String]) async throws -> Int {
        guard !members.isEmpty else { return 0 }
        return try expect(try await command(["ZREM", key] + members).throwingOnError().int)
    }

    // MARK: Lists

    /// `LPUSH key v1 v2 …`: the new length.
    @discardableResult
    public func lpush(_ key: String, _ values: [String]) async throws -> Int {
        guard !values.isEmpty else { return 0 }
        return try expect(try await command(["LPUSH", key] + values).throwingOnError().int)
    }

    /// `LTRIM key start stop`.
    public func ltrim(_ key: String, start: Int, stop: Int) async throws {
        _ = try await command(["LTRIM", key, String(start), String(stop)]).throwingOnError()
    }

    /// `LRANGE key start stop`.
    public func lrange(_ key: String, start: Int, stop: Int) async throws -> [String] {
        let elements = try expect(try await command(["LRANGE", key, String(start), String(stop)]).throwingOnError().array)
        return try elements.map { try expect($0.string) }
    }

    // MARK: Helpers

    func expect<T>(_ value: T?) throws -> T {
        guard let value else { throw Self.unexpected() }
        return value
    }

    static func unexpected() -> RedisError { RedisError(code: .unexpectedReply) }

    /// `[k1, v1, k2, v2, …]` as a dictionary.
    static func pairs(_ elements: [RedisReply]) throws -> [String: String] {
        guard elements.count % 2 == 0 else { throw unexpected() }
        var result = [String: String](minimumCapacity: elements.count / 2)
        var index = 0
        while index < elements.count {
            guard let key = elements[index].string, let value = elements[index + 1].string else { throw unexpected() }
            result[key] = value
            index += 2
        }
        return result
    }
}
