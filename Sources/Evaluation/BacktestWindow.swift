import Domain
import Foundation

/// One backtest window of `../shared/eval` (`protocol.py`'s `WINDOWS`): history is every purchase
/// before `start`, the evaluated window is `start ≤ t < end`, and the window's folder holds its
/// query files and truth.
public struct BacktestWindow: Sendable, Hashable {
    public var name: String
    public var start: Date
    public var end: Date

    /// The three windows of `PROTOCOL.md`, in its order: validation, spring, last year's autumn.
    public static let all: [BacktestWindow] = [
        window("val", "2011-06-01", "2011-09-01"),
        window("bt-2011-spring", "2011-03-01", "2011-06-01"),
        window("bt-2010-autumn", "2010-09-01", "2010-12-10"),
    ]

    public static func named(_ name: String) -> BacktestWindow? { all.first { $0.name == name } }

    private static func window(_ name: String, _ start: String, _ end: String) -> BacktestWindow {
        BacktestWindow(name: name, start: RetailTimestamp.parse(start)!, end: RetailTimestamp.parse(end)!)
    }
}
