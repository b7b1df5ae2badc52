import Foundation

/// A progress line on stderr: rows read, rows per second, rejects. On a terminal it redraws
/// in place every 0.2 s; otherwise (CI logs) it prints a line every 5 s.
final class ImportProgress {
    private let label: String
    private let enabled: Bool
    private let isTerminal: Bool
    private let start = Date()
    private var lastDraw = Date.distantPast
    private var drewInPlace = false

    init(label: String, enabled: Bool) {
        self.label = label
        self.enabled = enabled
        self.isTerminal = isatty(STDERR_FILENO) == 1
    }

    func update(rows: Int, rejected: Int, bytes: Int) {
        guard enabled else { return }
        let now = Date()
        guard now.timeIntervalSince(lastDraw) >= (isTerminal ? 0.2 : 5) else { return }
        lastDraw = now
        draw(rows: rows, rejected: rejected, bytes: bytes, final: false)
    }

    func finish(rows: Int, rejected: Int, bytes: Int) {
        guard enabled else { return }
        draw(rows: rows, rejected: rejected, bytes: bytes, final: true)
    }

    private func draw(rows: Int, rejected: Int, bytes: Int, final: Bool) {
        let elapsed = max(Date().timeIntervalSince(start), 0.001)
        let rate = Int(Double(rows) / elapsed)
        let megabytes = Double(bytes) / 1_048_576
        let text = "\(label): \(rows) rows, \(rate) rows/s, \(String(format: "%.1f", megabytes)) MB, \(rejected) rejected, \(String(format: "%.1f", elapsed)) s"
        let line = isTerminal ? "\r\u{1B}[2K" + text + (final ? "\n" : "") : text + "\n"
        FileHandle.standardError.write(Data(line.utf8))
    }
}
