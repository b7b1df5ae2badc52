/// What one import did.
public struct ImportSummary: Sendable, Hashable, CustomStringConvertible {
    /// `catalog`, `events` or `customers`.
    public var kind: String
    /// Rows newly stored (for the catalog and customers: new or changed).
    public var imported: Int = 0
    /// Good rows not stored because they were there already (same event key, unchanged product).
    public var duplicates: Int = 0
    /// Rows rejected as malformed.
    public var rejected: Int = 0
    /// The first rejections, in file order (at most `DataImporter.maxReportedRejections`).
    public var rejections: [ImportRowError] = []

    /// The counts of several imports added up (kind `total`); each keeps its own rejections.
    public static func total(of summaries: [ImportSummary]) -> ImportSummary {
        var total = ImportSummary(kind: "total")
        for summary in summaries {
            total.imported += summary.imported
            total.duplicates += summary.duplicates
            total.rejected += summary.rejected
        }
        return total
    }

    public var description: String {
        "\(kind): imported \(imported), skipped duplicates \(duplicates), rejected \(rejected)"
    }
}
