import Foundation
import Logging
import NIOCore
import Testing

@testable import Engine
@testable import Ranking
import Support

/// The structured log lines `hybridrank serve` writes.
struct JSONLogHandlerTests {
    private func object(_ buffer: ByteBuffer) throws -> [String: Any] {
        let bytes = Data(buffer.readableBytesView)
        #expect(bytes.last == UInt8(ascii: "\n"), "one line per event")
        #expect(bytes.dropLast().contains(UInt8(ascii: "\n")) == false)
        return try #require(JSONSerialization.jsonObject(with: bytes) as? [String: Any])
    }

    @Test func aLineIsOneJSONObjectWithTheEventsFieldsAndMetadata() throws {
        let event = LogEvent(
            level: .warning, message: "redis \"down\"\nretrying", metadata: nil, source: "Server",
            file: #fileID, function: #function, line: #line)
        let metadata: Logger.Metadata = [
            "hb.request.id": .stringConvertible(42), "attempts": .array(["1", "2"]),
            "peer": .dictionary(["host": "127.0.0.1"]),
        ]
        let line = JSONLogHandler.line(
            event: event, label: "hybridrank", metadata: metadata, now: Date(timeIntervalSince1970: 1_700_000_000.25))
        let json = try object(line)
        #expect(json["time"] as? String == "2023-11-14T22:13:20.250Z")
        #expect(json["level"] as? String == "warning")
        #expect(json["label"] as? String == "hybridrank")
        #expect(json["source"] as? String == "Server")
        #expect(json["message"] as? String == "redis \"down\"\nretrying")
        let rendered = try #require(json["metadata"] as? [String: Any])
        #expect(rendered["hb.request.id"] as? String == "42")
        #expect(rendered["attempts"] as? [String] == ["1", "2"])
        #expect((rendered["peer"] as? [String: String]) == ["host": "127.0.0.1"])
        #expect(json["error"] == nil)
    }

    struct Outage: Error, CustomStringConvertible { var description: String { "connection refused" } }

    @Test func withoutMetadataThereIsNoMetadataFieldAndAnErrorIsRendered() throws {
        let event = LogEvent(
            level: .error, message: "write failed", error: Outage(), metadata: nil, source: "S", file: #fileID,
            function: #function, line: #line)
        let json = try object(JSONLogHandler.line(event: event, label: "l", metadata: [:], now: Date(timeIntervalSince1970: 0)))
        #expect(json["metadata"] == nil)
        #expect(json["time"] as? String == "1970-01-01T00:00:00.000Z")
        #expect(json["error"] as? String == "connection refused")
    }

    @Test func loggerMetadataReachesTheHandlerAndCallMetadataWins() {
        var handler = JSONLogHandler(label: "l", fileDescriptor: -1)
        handler[metadataKey: "request"] = "r1"
        #expect(handler[metadataKey: "request"] == "r1")
        var logger = Logger(label: "l", factory: { _ in handler })
        logger[metadataKey: "user"] = "u1"
        #expect(logger[metadataKey: "request"] == "r1")
        #expect(logger[metadataKey: "user"] == "u1")
        logger.logLevel = .error
        #expect(logger.logLevel == .error)
        // An unwritable descriptor drops the line without failing.
        logger.error("dropped")
    }
}
