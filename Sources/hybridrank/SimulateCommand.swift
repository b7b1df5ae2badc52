import ArgumentParser
import Foundation
import Server
import ShopData

/// `hybridrank simulate`: synthetic shoppers against a running service on loopback.
struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Send synthetic shoppers at a running service (loopback only, bounded in count and time).")

    @Option(help: "Base URL of the service (loopback only).") var url: String = "http://127.0.0.1:8080"
    @Option(help: "Number of shoppers.") var shoppers: Int = 200
    @Option(help: "Homepage sessions per shopper.") var sessions: Int = 3
    @Option(help: "Stop after this many seconds.") var duration: Double = 60
    @Option(help: "Stop after this many HTTP requests.") var maxRequests: Int = 20_000
    @Option(help: "Concurrent shoppers.") var concurrency: Int = 8
    @Option(help: "Random seed (the run is reproducible for a seed).") var seed: UInt64 = 1
    @Option(help: "User id prefix.") var userPrefix: String = "sim"
    @Option(help: "API key sent as a bearer token (an ingest key; default: HYBRIDRANK_API_KEY, else none).")
    var apiKey: String?

    func run() async throws {
        guard let base = URL(string: url) else { throw ValidationError("--url is not a URL") }
        var configuration = ShopperSimulator.Configuration(baseURL: base)
        configuration.shoppers = shoppers
        configuration.sessionsPerShopper = sessions
        configuration.maxDuration = duration
        configuration.maxRequests = maxRequests
        configuration.concurrency = concurrency
        configuration.seed = seed
        configuration.userPrefix = userPrefix
        configuration.apiKey = apiKey ?? ProcessInfo.processInfo.environment["HYBRIDRANK_API_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        let report = try await ShopperSimulator(configuration: configuration).run()
        print(report)
    }
}
