/// When a variant's serving latency is bad enough that its other numbers should not be read as
/// a win: its p95 above an absolute ceiling, or far above the control's p95. A treatment that
/// converts better by making pages slow is a regression the PM must see next to the lift.
public struct LatencyGuardrail: Sendable, Hashable, Codable {
    /// p95 above this is flagged whatever the control does. Default 500 ms: a widget rendered
    /// into a page is late well before that.
    public var maximumMilliseconds: Double
    /// A treatment whose p95 exceeds the control's by this factor is flagged. Default 1.25.
    public var maximumRatioToControl: Double

    public init(maximumMilliseconds: Double = 500, maximumRatioToControl: Double = 1.25) {
        self.maximumMilliseconds = maximumMilliseconds
        self.maximumRatioToControl = maximumRatioToControl
    }

    /// Whether `p95` breaches the guardrail; `controlP95` is `nil` for the control itself or
    /// when the control has no latency recorded. No latency recorded: not flagged.
    public func isBreached(p95: Double?, controlP95: Double?) -> Bool {
        guard let p95, p95.isFinite else { return false }
        if p95 > maximumMilliseconds { return true }
        if let controlP95, controlP95.isFinite, controlP95 > 0 { return p95 > controlP95 * maximumRatioToControl }
        return false
    }

    enum CodingKeys: String, CodingKey {
        case maximumMilliseconds = "maximum_ms"
        case maximumRatioToControl = "maximum_ratio_to_control"
    }
}
