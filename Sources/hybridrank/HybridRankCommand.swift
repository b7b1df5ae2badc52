import ArgumentParser

/// The `hybridrank` command line: one executable for the service and its tools.
@main
struct HybridRankCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hybridrank",
        abstract: "A four-stage hybrid recommendation and ranking service.",
        subcommands: [
            ServeCommand.self,
            EmbedCommand.self,
            MigrateCommand.self,
            ExperimentsCommand.self,
            ScoreCommand.self,
            BenchCommand.self,
            DemoCommand.self,
        ]
    )
}
