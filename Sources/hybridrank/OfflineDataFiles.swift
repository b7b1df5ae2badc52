import ArgumentParser
import Evaluation
import Foundation

/// `--catalog` and `--events`, the CSV files the offline commands (`eval`, `replay`,
/// `recommend-batch`) rank from, and their loading.
struct OfflineDataFiles: ParsableArguments {
    @Option(help: "Products CSV (product_id,name,unit_price,category), plain or .gz.")
    var catalog: String
    @Option(help: "Interactions CSV (customer_id,product_id,event,quantity,timestamp,basket_id), plain or .gz.")
    var events: String

    func load() throws -> RetailDataset {
        try RetailDataset.load(catalog: URL(fileURLWithPath: catalog), events: URL(fileURLWithPath: events))
    }
}
