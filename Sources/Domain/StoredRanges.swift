import Foundation

/// The ranges of the numbers and times the service stores, whichever way they arrive: the API's
/// `InputBounds` takes its defaults from here and `hybridrank import` checks every row against
/// them. A value outside fails one request or one import row with its field named, instead of a
/// PostgreSQL error that fails a whole batch or file (`integer` columns overflow, `timestamptz`
/// text input refuses year 0).
public enum StoredRanges {
    /// An event's `quantity` (an `integer` column); far above any real order line.
    public static let eventQuantity: ClosedRange<Int> = 1...100_000
    /// A product's `stock_quantity` (an `integer` column).
    public static let stockQuantity: ClosedRange<Int> = 0...Int(Int32.max)
    /// Event and product times: 1970-01-01 to 2200-01-01 UTC. Nothing a shop records is older,
    /// and nothing later is a time a shop means.
    public static let timestamps: ClosedRange<Date> = Date(timeIntervalSince1970: 0)...Date(timeIntervalSince1970: 7_258_118_400)
}
