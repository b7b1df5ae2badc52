import Foundation

/// Debian's Chromium, run headless for browser checks of server-rendered pages: the DOM after the
/// page has loaded (`--dump-dom`) and a screenshot. As root it needs `--no-sandbox`.
struct HeadlessChromium {
    let executable: String

    /// The first Chromium on the usual paths, or `nil` (the tests that need it then say so).
    static func find() -> HeadlessChromium? {
        for path in ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        where FileManager.default.isExecutableFile(atPath: path) {
            return HeadlessChromium(executable: path)
        }
        return nil
    }

    struct Failure: Error, CustomStringConvertible {
        var status: Int32
        var stderr: String
        var description: String { "chromium exited with \(status): \(stderr.suffix(500))" }
    }

    /// The serialised DOM of `url` once loaded (and its scripts have had the virtual-time budget),
    /// in a window of `windowSize` ("width,height") when given: what is "on screen" depends on it.
    /// `virtualTimeBudget` (ms): how long the page's timers may run; network waits beyond it cut
    /// the page off, so a page that waits for its own requests needs more on a busy machine.
    func dumpDOM(url: String, windowSize: String? = nil, virtualTimeBudget: Int = 5000) async throws -> String {
        try await run((windowSize.map { ["--window-size=\($0)"] } ?? []) + ["--dump-dom", url], virtualTimeBudget: virtualTimeBudget)
    }

    /// A PNG of `url` at 1280 px wide.
    func screenshot(url: String, to path: String, height: Int = 1600) async throws {
        _ = try await run(["--screenshot=\(path)", "--window-size=1280,\(height)", "--hide-scrollbars", url])
    }

    /// How `html` lays out in a window `width` px wide: the page's scroll width, the window's inner
    /// width and how many `.scroll` containers overflow (need a horizontal scroll). The page is
    /// saved to a file with a small script appended that measures after load, so the served page
    /// itself stays script-free.
    func layout(html: String, width: Int) async throws -> (pageWidth: Int, windowWidth: Int, overflowing: Int) {
        let script = """
            <script>window.addEventListener('load', () => {
              const over = [...document.querySelectorAll('.scroll')].filter(e => e.scrollWidth > e.clientWidth + 1).length;
              document.body.setAttribute('data-layout', document.documentElement.scrollWidth + ':' + window.innerWidth + ':' + over);
            });</script>
            """
        let page = html.replacingOccurrences(of: "</body>", with: script + "</body>")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("hr-layout-\(UUID().uuidString).html")
        try page.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let dom = try await run(["--window-size=\(width),900", "--hide-scrollbars", "--dump-dom", file.absoluteString])
        guard let start = dom.range(of: "data-layout=\"") else { throw Failure(status: 0, stderr: "no layout measured") }
        let rest = dom[start.upperBound...]
        let parts = rest.prefix { $0 != "\"" }.split(separator: ":").compactMap { Int($0) }
        guard parts.count == 3 else { throw Failure(status: 0, stderr: "unreadable layout") }
        return (parts[0], parts[1], parts[2])
    }

    private func run(_ arguments: [String], virtualTimeBudget: Int = 5000) async throws -> String {
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("hr-chromium-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profile) }
        // Standard output is the DOM; standard error (Chromium's chatter) is read only when it failed.
        let result = try await ChildProcess.run(
            executable,
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--user-data-dir=\(profile.path)", "--virtual-time-budget=\(virtualTimeBudget)",
            ] + arguments,
            separateErrors: true)
        guard result.status == 0 else { throw Failure(status: result.status, stderr: result.errors) }
        return result.output
    }

    /// The `data-value` of the results cell for (experiment, variant, metric) in a dumped DOM.
    static func dataValue(in dom: String, experiment: String, variant: String, metric: String) -> Double? {
        let marker = #"data-experiment="\#(experiment)" data-variant="\#(variant)" data-metric="\#(metric)" data-value=""#
        guard let start = dom.range(of: marker) else { return nil }
        let rest = dom[start.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        return Double(rest[..<end])
    }
}
