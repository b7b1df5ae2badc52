import ArgumentParser
import Foundation
import MiniLM

/// `hybridrank score`: cross-encoder logits from the command line, for one pair or a JSON-lines file.
struct ScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Print cross-encoder logits (raw, no sigmoid) for (query, document) pairs.",
        discussion: """
            One pair:   hybridrank score --query "RED MUG ; BLUE MUG" --doc "GREEN MUG"
            Many pairs: hybridrank score --pairs pairs.jsonl   (lines of {"query": …, "document": …};
                        one logit per line on stdout, in input order)
            """
    )

    @Option(help: "The query text (with --doc).")
    var query: String?

    @Option(name: .customLong("doc"), help: "The document text (with --query).")
    var document: String?

    @Option(help: "A JSON-lines file of {\"query\", \"document\"} objects ('-' for stdin).")
    var pairs: String?

    @OptionGroup var crossEncoder: CrossEncoderModel

    @Option(help: "BLAS threads.")
    var threads: Int = 1

    @Option(help: "Pairs scored per call when reading a file.")
    var batchSize: Int = 256

    struct Pair: Decodable {
        var query: String
        var document: String
    }

    func validate() throws {
        if pairs == nil && (query == nil || document == nil) {
            throw ValidationError("give --query and --doc, or --pairs FILE")
        }
        if pairs != nil && (query != nil || document != nil) {
            throw ValidationError("--pairs cannot be combined with --query/--doc")
        }
        if batchSize < 1 || threads < 1 { throw ValidationError("--batch-size and --threads must be at least 1") }
    }

    func run() throws {
        let encoder = try CrossEncoder(modelDirectory: crossEncoder.directory, threads: threads)
        if let query, let document {
            print(encoder.score(pairs: [(query: query, document: document)])[0])
            return
        }
        guard let pairs else { return }
        let data: Data
        if pairs == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            guard let contents = FileManager.default.contents(atPath: pairs) else {
                throw ValidationError("cannot read the --pairs file")
            }
            data = contents
        }
        let decoder = JSONDecoder()
        var batch: [(query: String, document: String)] = []
        var output = ""
        func flush() {
            guard !batch.isEmpty else { return }
            for logit in encoder.score(pairs: batch) { output += "\(logit)\n" }
            FileHandle.standardOutput.write(Data(output.utf8))
            output.removeAll(keepingCapacity: true)
            batch.removeAll(keepingCapacity: true)
        }
        var lineNumber = 0
        for line in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            guard let pair = try? decoder.decode(Pair.self, from: Data(line)) else {
                throw ValidationError("line \(lineNumber) is not a {\"query\", \"document\"} JSON object")
            }
            batch.append((query: pair.query, document: pair.document))
            if batch.count == batchSize { flush() }
        }
        flush()
    }
}
