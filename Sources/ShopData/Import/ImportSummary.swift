/// What one import did.
public struct ImportSummary: Sendable, Hashable, CustomStringConvertible {
    /// `catalog`, `events` or `customers`.
    public var kind: String
    /// Rows newly stored (for the catalog and customers: new or changed).
    public var imported: Int
    /// Good rows not stored because they were there already (same event key, unchanged product).
    public var duplicates: Int
    /// Rows rejected as malformed.
    public var rejected: Int
    /// The first rejections, in file order (at most `DataImporter.maxReportedRejections`).
    public var rejections: [ImportRowError]

    public init(kind: String, imported: Int = 0, duplicates: Int = 0, rejected: Int = 0, rejections: [ImportRowError] = []) {
        self.kind = kind
        self.imported = imported
        self.duplicates = duplicates
        self.rejected = rejected
        self.rejections = rejections
    }

    public var description: String {
        "\(kind): imported \(imported), skipped duplicates \(duplicates), rejected \(rejected)"
    }
}
