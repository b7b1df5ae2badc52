import Domain
import Experiments
import Foundation
import NIOConcurrencyHelpers
import Ranking

/// Which experiment and variant a request runs under, and the options that follow.
public struct VariantSelection: Sendable {
    public var experimentKey: String
    public var variantKey: String
    public var variantIndex: Int
}

/// Routes each request to the running experiment of its widget (if any) and the user's variant.
///
/// Assignment itself is the pure `ExperimentAssigner` (GrowthBook-compatible), so every replica
/// agrees without coordination; this type only holds the current set of running experiments,
/// which the server refreshes from PostgreSQL every few seconds.
public final class ExperimentRouter: Sendable {
    private struct Entry: Sendable {
        var experiment: Experiment
        var configuration: ExperimentAssigner.Configuration
        var ranges: [BucketRange]
    }

    private let running = NIOLockedValueBox([Entry]())

    public init(experiments: [Experiment] = []) {
        replace(with: experiments)
    }

    /// Installs the current set of experiments (only running ones are kept).
    public func replace(with experiments: [Experiment]) {
        let entries = experiments.filter { $0.status == .running }.map { experiment in
            let configuration = ExperimentAssigner.Configuration(experiment)
            return Entry(experiment: experiment, configuration: configuration, ranges: configuration.ranges)
        }
        running.withLockedValue { $0 = entries }
    }

    public var runningExperiments: [Experiment] { running.withLockedValue { $0.map(\.experiment) } }

    /// The options for one request: the defaults, or the assigned variant's parameters over them.
    /// Users outside coverage or namespace get the defaults and no selection (they are not counted).
    /// Anonymous requests (no user id) are never assigned.
    public func route(
        widget: Widget, userID: String?, defaults: PipelineOptions, now: Date
    ) -> (options: PipelineOptions, selection: VariantSelection?) {
        guard let userID, !userID.isEmpty else { return (defaults, nil) }
        let entries = running.withLockedValue { $0 }
        for entry in entries where entry.experiment.widgets.contains(widget) && entry.experiment.isActive(at: now) {
            let assignment = ExperimentAssigner.assign(unitID: userID, configuration: entry.configuration, ranges: entry.ranges)
            guard assignment.inExperiment, assignment.variation >= 0, assignment.variation < entry.experiment.variants.count else {
                // Not in this experiment's traffic; a mutually exclusive one in another
                // namespace range may still take the user.
                continue
            }
            let variant = entry.experiment.variants[assignment.variation]
            return (
                OptionLayers.variantOptions(defaults, variant: variant.parameters),
                VariantSelection(experimentKey: entry.experiment.key, variantKey: variant.key, variantIndex: assignment.variation)
            )
        }
        return (defaults, nil)
    }
}
