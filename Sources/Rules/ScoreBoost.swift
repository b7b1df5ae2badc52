import Domain

/// Shared mechanics of the multiplicative boosts: raise `final` by a fraction and re-sort.
enum ScoreBoost {
    /// `final · (1 + fraction)` for positive scores; for a negative score the same absolute step
    /// upwards (`final + |final| · fraction`), so a boost never lowers an item.
    static func boosted(_ score: Float, by fraction: Float) -> Float {
        score + abs(score) * fraction
    }

    /// The label written for a boost, with its factor so explain can multiply it back:
    /// `boost:promotion*1.20` (`final` was multiplied by 1.20).
    static func label(_ base: String, boost: Float) -> String {
        let hundredths = Int(((1 + boost) * 100).rounded())
        let fraction = abs(hundredths % 100)
        return base + "*" + String(hundredths / 100) + "." + (fraction < 10 ? "0" : "") + String(fraction)
    }

    /// Sorts by `final` descending; ties keep their current order (the standard library's sort
    /// is stable), so the result is deterministic. In place: the items move, none is copied.
    static func resort(_ items: inout [ScoredItem]) {
        items.sort { $0.final > $1.final }
    }
}
