import ArgumentParser
import Domain
import Engine
import Experiments
import Foundation
import Storage

/// `hybridrank experiments …`: tools around the A/B framework.
struct ExperimentsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "experiments",
        abstract: "Check assignments and load experiment definitions.",
        subcommands: [AssignExperimentsCommand.self, ApplyExperimentsCommand.self, BenchAssignmentCommand.self]
    )
}

/// `hybridrank experiments assign`: GrowthBook-compatible assignment of JSON lines on stdin.
struct AssignExperimentsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assign",
        abstract: "Assign units to variations, one JSON line in, one JSON line out.",
        discussion: """
            Input lines: {"id", "seed", "hashVersion", "numVariations", "coverage"?, "weights"?, \
            "namespace"?: [name, start, end]}. Output lines: {"variation": i or -1, "inExperiment", \
            "inNamespace", "bucket"}; bucket is the unit's hash value in [0, 1) (null when the hash \
            version is unsupported or the unit is outside the namespace). Empty lines are skipped.

            With --experiment KEY --definitions FILE the lines are user ids instead (plain, or \
            {"id": …}) and each is assigned exactly as the service assigns it for that experiment: \
            {"id", "variant": key or null, "variation", "inExperiment"}.

            A line that cannot be read answers {"error": …} in its place, and the command then \
            exits with status 1 after the last line.
            """
    )

    @Option(help: "Assign user ids for this experiment (from --definitions) instead of raw assignment lines.")
    var experiment: String?

    @Option(help: "The experiment definitions file (YAML or JSON) that holds --experiment.")
    var definitions: String?

    func run() throws {
        let assign = try lineAssigner()
        var output = ""
        output.reserveCapacity(1 << 16)
        var failed = 0
        while let line = readLine(strippingNewline: true) {
            if line.allSatisfy(\.isWhitespace) { continue }
            let answer = assign(line)
            if answer.hasPrefix(#"{"error""#) { failed += 1 }
            output += answer
            output += "\n"
            if output.utf8.count >= 1 << 16 {
                FileHandle.standardOutput.write(Data(output.utf8))
                output.removeAll(keepingCapacity: true)
            }
        }
        FileHandle.standardOutput.write(Data(output.utf8))
        if failed > 0 {
            FileHandle.standardError.write(Data("assign: \(failed) line(s) could not be read\n".utf8))
            throw ExitCode.failure
        }
    }

    /// The function from one input line to its output line, for the mode the options choose.
    func lineAssigner() throws -> (String) -> String {
        guard let key = experiment else {
            if definitions != nil { throw ValidationError("--definitions needs --experiment") }
            return AssignmentLine.process
        }
        guard let definitions else { throw ValidationError("--experiment needs --definitions FILE") }
        let file: ExperimentDefinitionFile
        do {
            file = try ExperimentDefinitionFile.load(path: definitions)
        } catch let error as ExperimentDefinitionFile.ParseError {
            throw ValidationError("\(error.description): \(error.detail)")
        }
        guard let experiment = file.experiments.first(where: { $0.key == key }) else {
            throw ValidationError("no experiment '\(key)' in \(definitions)")
        }
        return { line in AssignmentLine.process(userLine: line, experiment: experiment) }
    }
}

/// `hybridrank experiments apply FILE`: validate YAML/JSON definitions and store them.
struct ApplyExperimentsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Validate experiment definitions (YAML or JSON) and write them to the database.",
        discussion: """
            The file holds one experiment, a list, or {"experiments": [...]}. Every problem is \
            printed as a JSON line {"field", "message"} on stderr and nothing is written. With \
            --dry-run the file is validated on its own (no database), or against the stored \
            experiments when a database is configured.
            """
    )

    @Argument(help: "The definitions file (.yaml, .yml or .json).")
    var file: String

    @OptionGroup var database: DatabaseOptions

    @Flag(help: "Validate only; write nothing.")
    var dryRun = false

    func run() async throws {
        let definitions: ExperimentDefinitionFile
        do {
            definitions = try ExperimentDefinitionFile.load(path: file)
        } catch let error as ExperimentDefinitionFile.ParseError {
            // The file's author runs this command, so the decoder's detail is shown.
            FileHandle.standardError.write(Data("apply: \(error.description): \(error.detail)\n".utf8))
            throw ExitCode.failure
        }
        let applier = ExperimentApplier()
        if (try? database.url()) == nil, dryRun {
            let errors = definitions.validate(with: applier.validator)
            report(errors: errors)
            if !errors.isEmpty { throw ExitCode.failure }
            print("apply: \(definitions.experiments.count) experiment(s) valid (dry run, not compared with the database)")
            return
        }
        do {
            let result = try await database.withClient { client in
                try await applier.apply(definitions, to: PostgresExperimentStore(postgres: client), dryRun: dryRun)
            }
            let suffix = dryRun ? " (dry run)" : ""
            print("apply: created \(result.created.count), updated \(result.updated.count), unchanged \(result.unchanged.count)\(suffix)")
            for key in result.created { print("  created \(key)") }
            for key in result.updated { print("  updated \(key)") }
        } catch let error as ExperimentValidationError {
            report(errors: error.errors)
            throw ExitCode.failure
        }
    }

    private func report(errors: [FieldError]) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        for error in errors {
            if let data = try? encoder.encode(error) {
                FileHandle.standardError.write(data + Data("\n".utf8))
            }
        }
    }
}

/// `hybridrank experiments bench`: assignment speed, against the straightforward implementation
/// of the GrowthBook specification (concatenate, hash, `String(inner)`) measured in the same run.
struct BenchAssignmentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure hashing and assignment per unit id (build with -c release)."
    )

    @Option(help: "Unit ids per repetition.")
    var ids = 200_000

    @Option(help: "Repetitions; the median is reported.")
    var repetitions = 7

    func run() throws {
        let units = (0..<ids).map { "user-\($0 &* 7919)" }
        let seed = "homepage-weights-2026"
        func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
        func nanoseconds(_ body: () -> Void) -> Double {
            let start = DispatchTime.now().uptimeNanoseconds
            body()
            return Double(DispatchTime.now().uptimeNanoseconds - start) / Double(units.count)
        }
        for version in [1, 2] {
            var fast: [Double] = []
            var peer: [Double] = []
            var checksum = 0.0
            for _ in 0..<repetitions {
                fast.append(nanoseconds { for id in units { checksum += BucketHasher.hash(seed: seed, value: id, version: version) ?? 0 } })
                peer.append(nanoseconds { for id in units { checksum -= Self.specificationHash(seed: seed, value: id, version: version) } })
            }
            guard abs(checksum) < 1e-6 else { throw ValidationError("the two implementations disagree") }
            print(String(
                format: "hash v%d: %.1f ns/id; specification peer %.1f ns/id; peer/ours %.2fx (median of %d x %d ids)",
                version, median(fast), median(peer), median(peer) / median(fast), repetitions, units.count))
        }
        let experiment = Experiment(
            key: "bench", widgets: [.homepage], status: .running, hashVersion: 2,
            namespace: NamespaceRange(name: "ranking", start: 0, end: 0.5),
            variants: [
                ExperimentVariant(key: "a", weight: 0.34), ExperimentVariant(key: "b", weight: 0.33),
                ExperimentVariant(key: "c", weight: 0.33),
            ])
        let configuration = ExperimentAssigner.Configuration(experiment)
        let ranges = configuration.ranges
        var counted = 0
        var samples: [Double] = []
        for _ in 0..<repetitions {
            samples.append(nanoseconds {
                for id in units where ExperimentAssigner.assign(unitID: id, configuration: configuration, ranges: ranges).inExperiment {
                    counted += 1
                }
            })
        }
        print(String(
            format: "assign (v2, namespace, 3 variants): %.1f ns/id (median of %d x %d ids; %d in experiment)",
            median(samples), repetitions, units.count, counted / repetitions))
    }

    /// The specification as written: FNV-1a over the concatenation's UTF-16 units.
    static func specificationHash(seed: String, value: String, version: Int) -> Double {
        func fnv(_ text: String) -> UInt32 {
            var hash: UInt32 = 0x811c_9dc5
            for unit in text.utf16 {
                hash ^= UInt32(unit)
                hash = hash &* 16_777_619
            }
            return hash
        }
        return version == 1
            ? Double(fnv(value + seed) % 1000) / 1000
            : Double(fnv(String(fnv(seed + value))) % 10000) / 10000
    }
}
