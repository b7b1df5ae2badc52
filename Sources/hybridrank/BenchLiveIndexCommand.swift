import ArgumentParser
import Candidates
import Domain
import Evaluation
import Foundation
import Support

/// `hybridrank bench live-index`: what a replica pays to apply purchases to the served customer
/// co-occurrence index (`CoPurchaseIndex.Configuration.customers`) as they arrive, and to read the
/// neighbour lists a homepage reads after them. The index is rebuilt on the history before
/// `--split`; the purchases from then on are applied one at a time, as `LiveIndexes` does, and
/// after each the seeds of its buyer's homepage (their last `--seeds` products) are read.
struct BenchLiveIndexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "live-index",
        abstract: "Live purchases into the customer co-occurrence index, and the neighbour reads after them."
    )

    @OptionGroup var data: OfflineDataFiles
    @Option(help: "Purchases before this day (YYYY-MM-DD) are the rebuilt history; the rest are applied live.")
    var split: String = "2011-06-01"
    @Option(help: "Products of the buyer's history read as homepage seeds after each purchase.")
    var seeds: Int = 20
    @Option(help: "Purchases applied live (0: all after --split).")
    var purchases: Int = 20_000

    func run() throws {
        guard let cut = RetailTimestamp.parse(split) else {
            throw ValidationError("--split must be YYYY-MM-DD")
        }
        let events = try data.load().interactions.filter { $0.type == .purchase }.sorted { $0.occurredAt < $1.occurredAt }
        let history = events.filter { $0.occurredAt < cut }
        var live = events.filter { $0.occurredAt >= cut }
        if purchases > 0, live.count > purchases { live.removeSubrange(purchases...) }

        let index = CoPurchaseIndex(configuration: .customers)
        index.rebuild(from: history, groupKey: { $0.userID })
        var recent: [String: [ProductID]] = [:]
        for event in history { recent[event.userID, default: []].append(event.productID) }

        let clock = ContinuousClock()
        var applying = Duration.zero, reading = Duration.zero
        var listsRead = 0
        for event in live {
            let start = clock.now
            index.add(group: event.userID, items: [event.productID], at: event.occurredAt)
            let applied = clock.now
            recent[event.userID, default: []].append(event.productID)
            let seeds = recent[event.userID]!.suffix(self.seeds).map { (productID: $0, weight: Float(1)) }
            _ = index.scores(seeds: seeds)
            listsRead += seeds.count
            applying += start.duration(to: applied)
            reading += applied.duration(to: clock.now)
        }
        let perPurchase = applying.inMilliseconds * 1_000 / Double(max(1, live.count))
        let perRead = reading.inMilliseconds * 1_000 / Double(max(1, live.count))
        print("history \(history.count) purchases, \(index.productCount) products; applied \(live.count) live")
        print(String(format: "apply: %.2f µs per purchase; homepage seeds read after it: %.2f µs (%d lists)", perPurchase, perRead, listsRead))
    }
}
