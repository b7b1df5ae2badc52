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
            SimulateCommand.self,
            MigrateCommand.self,
            ImportCommand.self,
            ExperimentsCommand.self,
            ScoreCommand.self,
            BenchCommand.self,
            DemoCommand.self,
            RecommendBatchCommand.self,
            EvalCommand.self,
            ReplayCommand.self,
            KeysCommand.self,
            BacktestCommand.self,
        ]
    )

    static func main() async {
        BLASKernelRestart.restartIfOpenBLASFellBack()
        await main(nil)
    }
}
