import Domain

/// The fixed order of stage 4: stock → exclusions → boosts → diversity → fill → pins.
///
/// Built per request from the variant's `RuleOptions`; each rule is a small `Rule` value.
public struct RuleChain: Sendable {
    public let rules: [any Rule]

    public init(options: RuleOptions) {
        // Filled in by the Rules implementation (issue #5).
        self.rules = []
    }

    public func apply(to items: inout [ScoredItem], context: RuleContext) {
        for rule in rules {
            rule.apply(to: &items, context: context)
        }
    }
}
