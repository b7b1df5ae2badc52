/// Stream helpers for at-least-once event processing with consumer groups:
/// `xadd` → `xgroupCreate` → `xreadGroup` (new entries) → `xack`; entries a crashed consumer
/// never acknowledged are taken over with `xautoclaim`.
extension RedisClient {
    /// `XADD stream [MAXLEN ~ n] * f1 v1 …`: the new entry's id. `maxLength` trims approximately
    /// (cheap) so the stream stays bounded.
    @discardableResult
    public func xadd(_ stream: String, fields: [(String, String)], maxLength: Int? = nil) async throws -> String {
        var arguments = ["XADD", stream]
        if let maxLength { arguments += ["MAXLEN", "~", String(maxLength)] }
        arguments.append("*")
        for (field, value) in fields { arguments += [field, value] }
        return try expect(try await command(arguments).throwingOnError().string)
    }

    /// `XGROUP CREATE stream group startID MKSTREAM`; returns false (no error) when the group
    /// exists already (`BUSYGROUP`). `startID` `$` = only new entries, `0` = the whole stream.
    @discardableResult
    public func xgroupCreate(_ stream: String, group: String, startID: String = "$") async throws -> Bool {
        let reply = try await command(["XGROUP", "CREATE", stream, group, startID, "MKSTREAM"])
        if case .error(let message) = reply {
            let error = RedisError(serverMessage: message)
            if error.serverCode == "BUSYGROUP" { return false }
            throw error
        }
        return true
    }

    /// `XREADGROUP GROUP g c COUNT n [BLOCK ms] STREAMS s >`: entries never delivered to this
    /// group, each to exactly one consumer; they stay pending until `xack`. Empty when nothing
    /// arrived within `blockMilliseconds` (nil = do not block).
    public func xreadGroup(
        _ stream: String,
        group: String,
        consumer: String,
        count: Int = 100,
        blockMilliseconds: Int? = nil,
        id: String = ">"
    ) async throws -> [RedisStreamEntry] {
        var arguments = ["XREADGROUP", "GROUP", group, consumer, "COUNT", String(max(1, count))]
        if let blockMilliseconds { arguments += ["BLOCK", String(max(0, blockMilliseconds))] }
        arguments += ["STREAMS", stream, id]
        let reply: RedisReply
        if let blockMilliseconds {
            reply = try await blockingCommand(arguments, blockSeconds: Double(blockMilliseconds) / 1000)
        } else {
            reply = try await command(arguments)
        }
        let streams = try reply.throwingOnError()
        if streams.isNull { return [] }
        var entries = [RedisStreamEntry]()
        for streamReply in try expect(streams.array) {
            let parts = try expect(streamReply.array)
            guard parts.count == 2 else { throw Self.unexpected() }
            entries += try Self.entries(try expect(parts[1].array))
        }
        return entries
    }

    /// `XACK stream group id…`: how many were pending and are now acknowledged.
    @discardableResult
    public func xack(_ stream: String, group: String, ids: [String]) async throws -> Int {
        guard !ids.isEmpty else { return 0 }
        return try expect(try await command(["XACK", stream, group] + ids).throwingOnError().int)
    }

    /// `XAUTOCLAIM stream group consumer minIdle start COUNT n`: takes over entries delivered to
    /// any consumer but not acknowledged for `minIdleMilliseconds` (their consumer probably
    /// died) and returns them; call again with `next` until it is `0-0` to scan everything.
    public func xautoclaim(
        _ stream: String,
        group: String,
        consumer: String,
        minIdleMilliseconds: Int,
        start: String = "0-0",
        count: Int = 100
    ) async throws -> (next: String, entries: [RedisStreamEntry]) {
        let parts = try expect(
            try await command([
                "XAUTOCLAIM", stream, group, consumer, String(max(0, minIdleMilliseconds)), start, "COUNT",
                String(max(1, count)),
            ]).throwingOnError().array)
        guard parts.count >= 2 else { throw Self.unexpected() }
        return (try expect(parts[0].string), try Self.entries(try expect(parts[1].array)))
    }

    /// `XPENDING stream group`: how many entries are delivered but not acknowledged.
    public func xpendingCount(_ stream: String, group: String) async throws -> Int {
        let parts = try expect(try await command(["XPENDING", stream, group]).throwingOnError().array)
        guard let first = parts.first else { throw Self.unexpected() }
        return try expect(first.int)
    }

    /// `XLEN stream`.
    public func xlen(_ stream: String) async throws -> Int {
        try expect(try await command(["XLEN", stream]).throwingOnError().int)
    }

    /// `[[id, [f, v, …]], …]`; entries deleted meanwhile (nil) are skipped.
    static func entries(_ elements: [RedisReply]) throws -> [RedisStreamEntry] {
        var entries = [RedisStreamEntry]()
        entries.reserveCapacity(elements.count)
        for element in elements {
            guard let pair = element.array, pair.count == 2, let id = pair[0].string else { continue }
            let fields = pair[1].isNull ? [:] : try pairs(pair[1].array ?? [])
            entries.append(RedisStreamEntry(id: id, fields: fields))
        }
        return entries
    }
}
