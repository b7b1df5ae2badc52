import Domain
import Rules

/// One list to rank: who it is for, under which options, and stage 4's context. A job carries
/// all three together, so a batch can never pair one request's shopper with another's options.
public struct RankingJob: Sendable {
    /// The request and the shopper's state (history, purchases, the content query vector).
    public var shopper: ShopperContext
    /// The resolved options: widget defaults ← widget settings ← experiment variant.
    public var options: PipelineOptions
    /// Stage 4's context: the catalog snapshot, block list, pins, fill lists.
    public var rules: RuleContext

    public init(shopper: ShopperContext, options: PipelineOptions, rules: RuleContext) {
        self.shopper = shopper
        self.options = options
        self.rules = rules
    }

    /// The widget's policy (which sources propose, what fills).
    public var profile: WidgetProfile { WidgetProfile.of(shopper.request.widget) }
}
