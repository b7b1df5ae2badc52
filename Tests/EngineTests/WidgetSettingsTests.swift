import Domain
import Experiments
import Foundation
import Rerank
import Rules
import Scoring
import Testing

@testable import Engine
@testable import Ranking
import Support

/// Per-widget settings without servers: their JSON, their validation and how they layer between
/// the built-in widget defaults and an experiment variant.
struct WidgetSettingsTests {
    @Test func everyKeyMayBeLeftOutAndTheJSONRoundTrips() throws {
        let empty = try JSONDecoder().decode(WidgetSettings.self, from: Data("{}".utf8))
        #expect(empty.isEmpty)
        let text = #"""
            {"parameters":{"alpha":0.3,"diversity_window":4,"disabled_rules":["fill"]},
             "block_list":["p1","p2"],"pinned":[{"position":3,"product_id":"p9"}]}
            """#
        let settings = try JSONDecoder().decode(WidgetSettings.self, from: Data(text.utf8))
        #expect(settings.parameters.alpha == 0.3)
        #expect(settings.parameters.diversityWindow == 4)
        #expect(settings.parameters.disabledRules == ["fill"])
        #expect(settings.blockList == ["p1", "p2"])
        #expect(settings.pinned == [WidgetSettings.Pin(position: 3, productID: "p9")])
        let again = try JSONDecoder().decode(WidgetSettings.self, from: JSONEncoder().encode(settings))
        #expect(again == settings)
    }

    @Test func validationNamesEveryBadField() {
        let settings = WidgetSettings(
            parameters: VariantParameters(alpha: -1, rerankCombination: "max"),
            blockList: ["ok", "has space", ""],
            pinned: [
                .init(position: 0, productID: "a"), .init(position: 2, productID: "b"),
                .init(position: 2, productID: "c"), .init(position: 5, productID: "ok"),
                .init(position: 6, productID: "b"), .init(position: 101, productID: "d"),
            ])
        let fields = settings.validate(maximumLimit: 100).map(\.field)
        #expect(
            fields == [
                "parameters.alpha", "parameters.rerank_combination", "block_list[1]", "block_list[2]",
                "pinned[0].position", "pinned[2].position", "pinned[3].product_id", "pinned[4].product_id",
                "pinned[5].position",
            ])
        #expect(WidgetSettings(pinned: [.init(position: 100, productID: "p")]).validate(maximumLimit: 100).isEmpty)
        let tooMany = WidgetSettings(
            blockList: (0...WidgetSettings.maximumBlockList).map { "p\($0)" },
            pinned: (1...(WidgetSettings.maximumPins + 1)).map { .init(position: $0, productID: "q\($0)") })
        #expect(tooMany.validate(maximumLimit: 100).map(\.field) == ["block_list", "pinned"])
    }

    @Test func settingsLayerBetweenTheWidgetDefaultsAndAVariant() {
        let base = PipelineOptions()
        let settings = WidgetSettings(
            parameters: VariantParameters(diversityMaxPerCategory: 1, diversityWindow: 4, disabledRules: ["promotion_boost"]),
            blockList: ["x", "y"], pinned: [.init(position: 3, productID: "p")])
        let resolved = WidgetSettingsTable.resolve(settings, for: .homepage, base: base)
        // The built-in homepage defaults stay where the settings say nothing.
        #expect(resolved.options.weights == .homepageDefault)
        #expect(resolved.options.rules.excludePurchased)
        #expect(resolved.options.rules.diversityMaxPerCategory == 1)
        #expect(resolved.options.rules.diversityWindow == 4)
        #expect(resolved.options.rules.promotionBoost == 0)
        #expect(resolved.blockList == ["x", "y"])
        #expect(resolved.pinned == [2: "p"], "1-based positions become RuleContext's 0-based ones")
        // A variant lays its parameters over the settings, not over the bare defaults.
        let variant = resolved.options.applying(VariantParameters(rerankBudgetMilliseconds: 40, promotionBoost: 0.5))
        #expect(variant.rules.promotionBoost == 0.5)
        #expect(variant.rerank.budgetMilliseconds == 40)
        #expect(resolved.options.rerank.budgetMilliseconds == nil, "no budget unless one is set")
        #expect(variant.rules.diversityMaxPerCategory == 1)
        // No settings: exactly the built-in widget defaults.
        for widget in Widget.allCases {
            #expect(WidgetSettingsTable.resolve(WidgetSettings(), for: widget, base: base).options == base.defaults(for: widget))
        }
    }

    @Test func theTableKeepsEachWidgetApartAndResets() {
        let table = WidgetSettingsTable(base: PipelineOptions())
        var stored: [Widget: WidgetSettings] = [:]
        for (index, widget) in Widget.allCases.enumerated() {
            stored[widget] = WidgetSettings(parameters: VariantParameters(candidatesPerSource: 10 + index))
        }
        table.replace(with: stored)
        for (index, widget) in Widget.allCases.enumerated() {
            #expect(table.resolved(for: widget).options.candidatesPerSource == 10 + index, "\(widget)")
        }
        table.set(WidgetSettings(blockList: ["z"]), for: .cart)
        #expect(table.resolved(for: .cart).blockList == ["z"])
        #expect(table.resolved(for: .cart).options.candidatesPerSource == PipelineOptions().candidatesPerSource)
        #expect(table.resolved(for: .search).options.candidatesPerSource == 14)
        table.set(nil, for: .search)
        #expect(table.resolved(for: .search).options == PipelineOptions().defaults(for: .search))
        table.replace(with: [:])
        #expect(table.resolved(for: .homepage).settings.isEmpty)
    }
}
