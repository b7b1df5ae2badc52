import ArgumentParser
import Evaluation
import Foundation

/// `--catalog` and `--events`, the CSV files the offline commands (`eval`, `backtest`, `replay`,
/// `recommend-batch`, `bench live-index`) rank from, and their loading. The defaults are the Online
/// Retail files of `../shared`, which the evaluation protocol and its windows are cut from.
struct OfflineDataFiles: ParsableArguments {
    @Option(help: "Products CSV (product_id,name,unit_price,category), plain or .gz.")
    var catalog: String = "../shared/data/online-retail/products.csv.gz"
    @Option(help: "Interactions CSV (customer_id,product_id,event,quantity,timestamp,basket_id), plain or .gz; each command cuts its history from it (eval at --split-date, backtest at each window's start).")
    var events: String = "../shared/data/online-retail/interactions.csv.gz"

    func load() throws -> RetailDataset {
        try RetailDataset.load(catalog: URL(fileURLWithPath: catalog), events: URL(fileURLWithPath: events))
    }
}
