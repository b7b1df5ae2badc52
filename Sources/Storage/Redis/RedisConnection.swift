import CHiredis
import Foundation

/// One hiredis context, used by one caller at a time on one of `RedisClient`'s threads.
/// Connects lazily; a context with an error, a timed-out reply or a socket the server closed is
/// freed and replaced on next use.
final class RedisConnection: @unchecked Sendable {
    // @unchecked: the pool guarantees a single user at a time; the context never leaves this type.
    private var context: UnsafeMutablePointer<redisContext>?
    private let configuration: RedisConfiguration
    private let endpoint: RedisConfiguration.Endpoint

    init(configuration: RedisConfiguration, endpoint: RedisConfiguration.Endpoint) {
        self.configuration = configuration
        self.endpoint = endpoint
    }

    deinit { close() }

    func close() {
        if let context { redisFree(context) }
        context = nil
    }

    /// Drops a context that errored or whose socket has unexpected input (the server closed
    /// it, e.g. on restart); an idle connection never has input otherwise.
    func prepareForUse() {
        guard let context else { return }
        if context.pointee.err != 0 {
            close()
            return
        }
        var descriptor = pollfd(fd: context.pointee.fd, events: Int16(POLLIN), revents: 0)
        if poll(&descriptor, 1, 0) > 0 { close() }
    }

    /// Sends one command and waits for its reply (an error reply is returned, not thrown).
    /// - Parameter extraWaitSeconds: added to the command timeout (blocking reads).
    func command(_ arguments: [[UInt8]], extraWaitSeconds: Double = 0) throws -> RedisReply {
        let context = try connected()
        if extraWaitSeconds > 0 { setTimeout(context, seconds: configuration.commandTimeoutSeconds + extraWaitSeconds) }
        defer {
            if extraWaitSeconds > 0, let current = self.context {
                setTimeout(current, seconds: configuration.commandTimeoutSeconds)
            }
        }
        let raw = Self.withArgv(arguments) { argc, argv, lengths in
            redisCommandArgv(context, argc, argv, lengths)
        }
        guard let raw else { throw lost(context) }
        defer { freeReplyObject(raw) }
        return Self.reply(from: raw.assumingMemoryBound(to: redisReply.self))
    }

    /// Sends all commands, then reads all replies: one round trip.
    func pipeline(_ commands: [[[UInt8]]]) throws -> [RedisReply] {
        guard !commands.isEmpty else { return [] }
        let context = try connected()
        for arguments in commands {
            let status = Self.withArgv(arguments) { argc, argv, lengths in
                redisAppendCommandArgv(context, argc, argv, lengths)
            }
            guard status == REDIS_OK else { throw lost(context) }
        }
        var replies = [RedisReply]()
        replies.reserveCapacity(commands.count)
        for _ in commands {
            var raw: UnsafeMutableRawPointer?
            guard redisGetReply(context, &raw) == REDIS_OK, let raw else { throw lost(context) }
            replies.append(Self.reply(from: raw.assumingMemoryBound(to: redisReply.self)))
            freeReplyObject(raw)
        }
        return replies
    }

    // MARK: Private

    private func connected() throws -> UnsafeMutablePointer<redisContext> {
        if let context { return context }
        let timeout = Self.timeval(seconds: configuration.connectTimeoutSeconds)
        guard let context = redisConnectWithTimeout(endpoint.host, Int32(endpoint.port), timeout) else {
            throw RedisError(code: .connectionFailed, detail: "out of memory")
        }
        if context.pointee.err != 0 {
            let message = Self.errorString(context)
            redisFree(context)
            throw RedisError(code: .connectionFailed, detail: message)
        }
        setTimeout(context, seconds: configuration.commandTimeoutSeconds)
        _ = redisEnableKeepAlive(context)
        // hiredis frees its read buffer whenever it is empty and over 16 KiB, so every large reply
        // (a shopper's history, a rerank window's cached scores) paid a fresh large malloc and a
        // free; keep the buffer (one per pooled connection).
        context.pointee.reader.pointee.maxbuf = 0
        self.context = context
        if let password = endpoint.password {
            try expectOK(try command([Array("AUTH".utf8), Array(password.utf8)]))
        }
        if endpoint.database != 0 {
            try expectOK(try command([Array("SELECT".utf8), Array(String(endpoint.database).utf8)]))
        }
        return context
    }

    private func expectOK(_ reply: RedisReply) throws {
        if case .error(let message) = reply {
            close()
            throw RedisError(code: .connectionFailed, serverCode: RedisError(serverMessage: message).serverCode)
        }
    }

    private func setTimeout(_ context: UnsafeMutablePointer<redisContext>, seconds: Double) {
        _ = redisSetTimeout(context, Self.timeval(seconds: seconds))
    }

    /// The error for a failed exchange; frees the context, which is unusable after an I/O error
    /// or timeout (a late reply would be read by the next command).
    private func lost(_ context: UnsafeMutablePointer<redisContext>) -> RedisError {
        let message = Self.errorString(context)
        let isTimeout = context.pointee.err == REDIS_ERR_IO && (errno == EAGAIN || errno == EWOULDBLOCK)
        close()
        return RedisError(code: isTimeout ? .timeout : .connectionLost, detail: message)
    }

    private static func errorString(_ context: UnsafeMutablePointer<redisContext>) -> String {
        withUnsafeBytes(of: context.pointee.errstr) { raw in
            let bytes = raw.prefix { $0 != 0 }
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    private static func timeval(seconds: Double) -> Glibc.timeval {
        let whole = seconds.rounded(.down)
        return Glibc.timeval(tv_sec: Int(whole), tv_usec: Int((seconds - whole) * 1_000_000))
    }

    private static func withArgv<R>(
        _ arguments: [[UInt8]],
        _ body: (Int32, UnsafeMutablePointer<UnsafePointer<CChar>?>, UnsafePointer<Int>) -> R
    ) -> R {
        // One contiguous buffer for all arguments; pointers into it for argv.
        var storage = [UInt8]()
        storage.reserveCapacity(arguments.reduce(0) { $0 + $1.count } + 1)
        var lengths = [Int]()
        lengths.reserveCapacity(arguments.count)
        for argument in arguments {
            storage.append(contentsOf: argument)
            lengths.append(argument.count)
        }
        storage.append(0)
        return storage.withUnsafeBufferPointer { bytes in
            let base = UnsafeRawPointer(bytes.baseAddress!).assumingMemoryBound(to: CChar.self)
            var pointers = [UnsafePointer<CChar>?]()
            pointers.reserveCapacity(arguments.count)
            var offset = 0
            for length in lengths {
                pointers.append(base + offset)
                offset += length
            }
            return pointers.withUnsafeMutableBufferPointer { argv in
                lengths.withUnsafeBufferPointer { lengthPointer in
                    body(Int32(arguments.count), argv.baseAddress!, lengthPointer.baseAddress!)
                }
            }
        }
    }

    private static func reply(from raw: UnsafeMutablePointer<redisReply>) -> RedisReply {
        let reply = raw.pointee
        switch reply.type {
        case REDIS_REPLY_STRING:
            return .bulk(bytes(reply.str, reply.len))
        case REDIS_REPLY_STATUS:
            return .status(String(decoding: bytes(reply.str, reply.len), as: UTF8.self))
        case REDIS_REPLY_ERROR:
            return .error(String(decoding: bytes(reply.str, reply.len), as: UTF8.self))
        case REDIS_REPLY_INTEGER:
            return .integer(Int(reply.integer))
        case REDIS_REPLY_ARRAY:
            var elements = [RedisReply]()
            elements.reserveCapacity(Int(reply.elements))
            for index in 0..<Int(reply.elements) {
                if let element = reply.element[index] { elements.append(Self.reply(from: element)) }
            }
            return .array(elements)
        default:
            return .null
        }
    }

    private static func bytes(_ pointer: UnsafeMutablePointer<CChar>?, _ length: Int) -> [UInt8] {
        guard let pointer, length > 0 else { return [] }
        return pointer.withMemoryRebound(to: UInt8.self, capacity: length) {
            Array(UnsafeBufferPointer(start: $0, count: length))
        }
    }
}
