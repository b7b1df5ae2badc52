import CLibPQ
import Foundation

/// One libpq connection. Lent by `PostgresClient` to one caller at a time, on one of the
/// client's pool threads; every method blocks, so call them only inside
/// `PostgresClient.withConnection` / `withTransaction`.
///
/// The connection opens lazily and heals itself: before each loan the client calls
/// `prepareForUse()`, which reconnects when the server closed the socket (e.g. after a restart)
/// and rolls back a transaction a failed caller left open.
public final class PostgresConnection: @unchecked Sendable {
    // @unchecked: the pool guarantees a single user at a time; the handle never leaves this type.
    private var handle: OpaquePointer?
    private let configuration: PostgresConfiguration

    init(configuration: PostgresConfiguration) {
        self.configuration = configuration
    }

    deinit { close() }

    /// Whether a live connection is open (no I/O; a dead socket is only noticed on use).
    var isOpen: Bool { handle.map { PQstatus($0) == CONNECTION_OK } ?? false }

    func close() {
        if let handle { PQfinish(handle) }
        handle = nil
    }

    // MARK: Statements

    /// Runs one statement with `$1…$n` parameters and returns its rows (empty for commands).
    public func query(_ sql: String, _ parameters: [(any PostgresParameter)?] = []) throws -> [PostgresRow] {
        let result = try run(sql, parameters)
        defer { PQclear(result) }
        return Self.rows(of: result)
    }

    /// Runs one statement with `$1…$n` parameters and returns the number of rows it affected.
    @discardableResult
    public func execute(_ sql: String, _ parameters: [(any PostgresParameter)?] = []) throws -> Int {
        let result = try run(sql, parameters)
        defer { PQclear(result) }
        return Int(String(cString: PQcmdTuples(result))) ?? 0
    }

    /// Runs SQL that may hold several statements and no parameters (migrations): the simple
    /// query protocol. Never build such SQL from values.
    public func executeScript(_ sql: String) throws {
        let handle = try connectedHandle()
        guard let result = PQexec(handle, sql) else { throw lostOrFailed(query: sql, result: nil) }
        defer { PQclear(result) }
        let status = PQresultStatus(result)
        guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY else {
            throw lostOrFailed(query: sql, result: result)
        }
    }

    /// Streams `lines` into `COPY … FROM STDIN` (each line one row in the COPY's format, without
    /// the trailing newline) and returns the number of rows copied. Data goes out in 256 KiB
    /// chunks, so memory stays flat however many lines there are.
    /// Use `PostgresCopyText.escape` for fields in the default text format.
    public func copyIn(_ copySQL: String, lines: some Sequence<String>) throws -> Int {
        let handle = try connectedHandle()
        guard let start = PQexec(handle, copySQL) else { throw lostOrFailed(query: copySQL, result: nil) }
        let startStatus = PQresultStatus(start)
        if startStatus != PGRES_COPY_IN {
            defer { PQclear(start) }
            throw lostOrFailed(query: copySQL, result: start, code: .copyFailed)
        }
        PQclear(start)

        let chunkSize = 256 * 1024
        var buffer = [UInt8]()
        buffer.reserveCapacity(chunkSize + 4096)
        var sendFailed = false
        func flush() {
            guard !buffer.isEmpty, !sendFailed else { return }
            let sent = buffer.withUnsafeBufferPointer { raw in
                raw.withMemoryRebound(to: CChar.self) { chars in
                    PQputCopyData(handle, chars.baseAddress, Int32(chars.count))
                }
            }
            if sent != 1 { sendFailed = true }
            buffer.removeAll(keepingCapacity: true)
        }
        for line in lines {
            buffer.append(contentsOf: line.utf8)
            buffer.append(UInt8(ascii: "\n"))
            if buffer.count >= chunkSize {
                flush()
                if sendFailed { break }
            }
        }
        flush()
        if !sendFailed, PQputCopyEnd(handle, nil) != 1 { sendFailed = true }

        // Drain every result so the connection is usable afterwards.
        var failure: PostgresError?
        var copied = 0
        while let result = PQgetResult(handle) {
            let status = PQresultStatus(result)
            if status == PGRES_COMMAND_OK {
                copied = Int(String(cString: PQcmdTuples(result))) ?? 0
            } else if status == PGRES_COPY_IN {
                // Only when sending failed midway: end the copy with an error and keep draining.
                PQputCopyEnd(handle, "client stopped sending")
            } else if failure == nil {
                failure = lostOrFailed(query: copySQL, result: result, code: .copyFailed)
            }
            PQclear(result)
            if PQstatus(handle) != CONNECTION_OK { break }
        }
        if let failure { throw failure }
        if sendFailed || PQstatus(handle) != CONNECTION_OK {
            throw lostOrFailed(query: copySQL, result: nil, code: .copyFailed)
        }
        return copied
    }

    // MARK: Lifecycle

    /// Opens the connection when needed and repairs what the previous user or the server left:
    /// a closed socket (server restart), a broken status, an open or failed transaction.
    func prepareForUse() throws {
        if let handle {
            // An idle connection (we never LISTEN) has input only when the server is saying
            // goodbye (terminated backend, shutdown) or, rarely, sent a notice: replace it
            // either way rather than find out with the caller's statement.
            if PQstatus(handle) != CONNECTION_OK || Self.socketHasInput(handle) { close() }
        }
        if handle == nil {
            try connect()
        }
        if let handle, PQtransactionStatus(handle) != PQTRANS_IDLE {
            if let result = PQexec(handle, "ROLLBACK") { PQclear(result) }
            if PQstatus(handle) != CONNECTION_OK || PQtransactionStatus(handle) != PQTRANS_IDLE {
                close()
                try connect()
            }
        }
    }

    private func connect() throws {
        var options = "-c TimeZone=UTC -c DateStyle=ISO -c client_min_messages=warning"
        if configuration.statementTimeoutMilliseconds > 0 {
            options += " -c statement_timeout=\(configuration.statementTimeoutMilliseconds)"
        }
        if let searchPath = configuration.searchPath {
            // Spaces in `options` need escaping; schema names here are identifiers.
            options += " -c search_path=" + searchPath.replacingOccurrences(of: " ", with: "\\ ")
        }
        let pairs: [(String, String)] = [
            ("dbname", configuration.url),
            ("connect_timeout", String(configuration.connectTimeoutSeconds)),
            ("application_name", configuration.applicationName),
            ("client_encoding", "UTF8"),
            ("options", options),
        ]
        let keywords = pairs.map { strdup($0.0) }
        let values = pairs.map { strdup($0.1) }
        defer {
            keywords.forEach { free($0) }
            values.forEach { free($0) }
        }
        var keywordPointers = keywords.map { UnsafePointer($0) } + [nil]
        var valuePointers = values.map { UnsafePointer($0) } + [nil]
        let connection = keywordPointers.withUnsafeMutableBufferPointer { keys in
            valuePointers.withUnsafeMutableBufferPointer { vals in
                PQconnectdbParams(keys.baseAddress, vals.baseAddress, 1)
            }
        }
        guard let connection else { throw PostgresError(code: .connectionFailed, detail: "out of memory") }
        guard PQstatus(connection) == CONNECTION_OK else {
            // libpq's message names host and port, never passwords; still keep it out of `description`.
            let message = String(cString: PQerrorMessage(connection))
            PQfinish(connection)
            throw PostgresError(code: .connectionFailed, detail: message.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        handle = connection
    }

    private func connectedHandle() throws -> OpaquePointer {
        if handle == nil { try connect() }
        return handle!
    }

    private func run(_ sql: String, _ parameters: [(any PostgresParameter)?]) throws -> OpaquePointer {
        let handle = try connectedHandle()
        let texts: [UnsafeMutablePointer<CChar>?] = parameters.map { parameter in
            parameter.map { strdup($0.postgresText) }
        }
        defer { texts.forEach { free($0) } }
        let result: OpaquePointer? = texts.map { $0.map { UnsafePointer($0) } }.withUnsafeBufferPointer { values in
            PQexecParams(handle, sql, Int32(values.count), nil, values.baseAddress, nil, nil, 0)
        }
        guard let result else { throw lostOrFailed(query: sql, result: nil) }
        let status = PQresultStatus(result)
        guard status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK else {
            defer { PQclear(result) }
            throw lostOrFailed(query: sql, result: result)
        }
        return result
    }

    /// The error for a failed statement: `.connectionLost` (retryable) when the connection is
    /// gone, which also drops the handle so the next use reconnects; `code` otherwise.
    private func lostOrFailed(
        query: String,
        result: OpaquePointer?,
        code: PostgresError.Code = .queryFailed
    ) -> PostgresError {
        var sqlState: String?
        var detail: String?
        if let result {
            if let state = PQresultErrorField(result, Int32(UInt8(ascii: "C"))) { sqlState = String(cString: state) }
            detail = String(cString: PQresultErrorMessage(result))
        }
        if let handle, detail?.isEmpty ?? true {
            detail = String(cString: PQerrorMessage(handle))
        }
        detail = detail?.trimmingCharacters(in: .whitespacesAndNewlines)
        if let handle, PQstatus(handle) != CONNECTION_OK {
            close()
            return PostgresError(code: .connectionLost, sqlState: sqlState, detail: detail, query: query)
        }
        return PostgresError(code: code, sqlState: sqlState, detail: detail, query: query)
    }

    private static func rows(of result: OpaquePointer) -> [PostgresRow] {
        let rowCount = Int(PQntuples(result))
        let columnCount = Int(PQnfields(result))
        guard rowCount > 0 else { return [] }
        var names = [String]()
        names.reserveCapacity(columnCount)
        for column in 0..<columnCount { names.append(String(cString: PQfname(result, Int32(column)))) }
        let columns = PostgresColumns(names: names)
        var rows = [PostgresRow]()
        rows.reserveCapacity(rowCount)
        for row in 0..<Int32(rowCount) {
            var values = [String?]()
            values.reserveCapacity(columnCount)
            for column in 0..<Int32(columnCount) {
                if PQgetisnull(result, row, column) == 1 {
                    values.append(nil)
                } else {
                    let length = Int(PQgetlength(result, row, column))
                    let pointer = PQgetvalue(result, row, column)!
                    values.append(
                        pointer.withMemoryRebound(to: UInt8.self, capacity: length) {
                            String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
                        })
                }
            }
            rows.append(PostgresRow(columns: columns, values: values))
        }
        return rows
    }

    private static func socketHasInput(_ handle: OpaquePointer) -> Bool {
        let socket = PQsocket(handle)
        guard socket >= 0 else { return false }
        var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, 0) > 0
    }
}
