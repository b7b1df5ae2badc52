import Foundation
import Testing
@testable import Engine
@testable import Ranking
@testable import Server
import Support

/// The README's route table is checked against `/openapi.json`, the contract: every route,
/// method and query parameter the README names exists in the document, and every path the
/// document describes is named in the README (a `…` entry covers the paths below it).
struct ReadmeContractTests {
    static let readme: String = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return (try? String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)) ?? ""
    }()

    /// The backticked route cells of the README's "HTTP API" table.
    static func routeCells() -> [String] {
        guard let start = readme.range(of: "## HTTP API") else { return [] }
        var cells: [String] = []
        for line in readme[start.upperBound...].split(separator: "\n") {
            if line.hasPrefix("## ") { break }
            guard line.hasPrefix("| `") else { continue }
            // The first column ends at the first "` | " (a `\|` inside a cell is a method separator).
            let first = String(line.dropFirst(2)).components(separatedBy: "` | ").first ?? ""
            for cell in first.components(separatedBy: "`") where cell.contains("/") {
                cells.append(cell.replacingOccurrences(of: "\\|", with: "|"))
            }
        }
        return cells
    }

    @Test func everyRouteTheReadmeNamesIsInTheContract() throws {
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json.utf8)) as? [String: Any])
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        let cells = Self.routeCells()
        #expect(cells.count >= 12, "\(cells)")
        var named: [String] = []
        for cell in cells {
            let parts = cell.split(separator: " ", maxSplits: 1).map(String.init)
            let methods = parts.count == 2 ? parts[0].split(separator: "|").map { $0.lowercased() } : []
            let target = parts.count == 2 ? parts[1] : parts[0]
            let path = String(target.prefix { $0 != "?" })
            if path.hasSuffix("…") {
                let prefix = String(path.dropLast())
                #expect(paths.keys.contains { $0.hasPrefix(prefix) }, "README names \(path); the contract has no such paths")
                named.append(path)
                continue
            }
            named.append(path)
            let operations = try #require(paths[path], "README names \(path); the contract does not describe it")
            for method in methods {
                let operation = try #require(operations[method] as? [String: Any], "README: \(method.uppercased()) \(path) is not in the contract")
                if let query = target.split(separator: "?", maxSplits: 1).dropFirst().first {
                    let documented = Set(((operation["parameters"] as? [[String: Any]]) ?? []).compactMap { $0["name"] as? String })
                    for parameter in query.split(separator: "&").map({ String($0.prefix { $0 != "=" }) }) {
                        #expect(documented.contains(parameter), "README: \(path)?\(parameter)= is not a documented parameter")
                    }
                }
            }
        }
        for path in paths.keys {
            let covered = named.contains { $0 == path || ($0.hasSuffix("…") && path.hasPrefix(String($0.dropLast()))) }
            #expect(covered, "the contract describes \(path); the README's route table does not name it")
        }
    }
}
