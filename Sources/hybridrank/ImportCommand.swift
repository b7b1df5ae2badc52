import ArgumentParser
import Foundation
import Server
import ShopData
import Storage

/// `hybridrank import`: loads a catalog, events and customers from CSV or NDJSON files.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import products, events and customers from CSV or NDJSON (optionally .gz) through COPY.",
        discussion: """
            Catalog: product_id,name,unit_price|price,category[,description,currency,stock_quantity,in_stock,promoted]
            Events:  customer_id|user_id,product_id,event,quantity,timestamp[,value,basket_id,request_id,event_id]
            Customers: customer_id,country
            Malformed rows are reported with their line and field and skipped; the good rows load.
            Rows are held to the API's rules (ids, times 1970–2200, quantities, 3-letter currencies).
            Importing the same data again stores nothing twice; an event_id is the key the API
            gives it, so an event both sent live and imported is stored once.
            Example: hybridrank import --catalog ../shared/data/online-retail/products.csv.gz \\
                       --events ../shared/data/online-retail/interactions.csv.gz
            """
    )

    @Option(help: "Products file (.csv, .ndjson, .jsonl; optionally .gz).")
    var catalog: String?

    @Option(help: "Events file (.csv, .ndjson, .jsonl; optionally .gz).")
    var events: String?

    @Option(help: "Customers file (customer_id,country).")
    var customers: String?

    @OptionGroup var database: DatabaseOptions

    @Option(help: "How many rejected rows to print.")
    var showRejections: Int = 20

    @Flag(help: "No progress line.")
    var quiet = false

    func validate() throws {
        if catalog == nil && events == nil && customers == nil {
            throw ValidationError("give at least one of --catalog, --events, --customers")
        }
    }

    func run() async throws {
        let total = try await database.withClient { client in
            let importer = DataImporter(postgres: client, showProgress: !quiet)
            var summaries: [ImportSummary] = []
            // Catalog first: event values are priced from it.
            let jobs: [(String?, (String) async throws -> ImportSummary)] = [
                (catalog, importer.importCatalog), (customers, importer.importCustomers), (events, importer.importEvents),
            ]
            for (path, job) in jobs {
                guard let path else { continue }
                let summary = try await job(path)
                report(summary)
                summaries.append(summary)
            }
            return ImportSummary.total(of: summaries)
        }
        print("imported \(total.imported), skipped duplicates \(total.duplicates), rejected \(total.rejected)")
    }

    private func report(_ summary: ImportSummary) {
        for rejection in summary.rejections.prefix(showRejections) {
            FileHandle.standardError.write(Data("\(summary.kind): rejected \(rejection)\n".utf8))
        }
        if summary.rejected > min(showRejections, summary.rejections.count) {
            let more = summary.rejected - min(showRejections, summary.rejections.count)
            FileHandle.standardError.write(Data("\(summary.kind): … and \(more) more rejected rows\n".utf8))
        }
        print(summary)
    }
}
