import ArgumentParser

/// `hybridrank bench`: micro-benchmarks of the service's hot paths, one subcommand each.
/// Results go to BENCHMARKS.md (current) and docs/benchmarks/ (history); none of this runs in tests.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks of the hot paths (see BENCHMARKS.md).",
        subcommands: [BenchEncoderCommand.self, BenchCandidatesCommand.self, BenchLiveIndexCommand.self]
    )
}
