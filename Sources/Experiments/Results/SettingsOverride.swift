import Domain
import Foundation

/// A running experiment's hold on one widget: which of the widget's options its variants set, and
/// for whom. The widget settings API, `GET /v1/widgets`, the dashboard and explain show it, so a
/// merchandiser who changes a widget's settings sees that (and where) an experiment wins.
///
/// Precedence, each layer over the one before: built-in widget defaults → widget settings → a
/// running experiment's variant (users with an id who fall in its coverage and namespace) → the
/// request's `exclude=` and `pin=`.
public struct SettingsOverride: Sendable, Hashable, Codable {
    public struct VariantKeys: Sendable, Hashable, Codable {
        public var variant: String
        /// Share of the experiment's traffic.
        public var weight: Double
        /// The parameter keys this variant sets (each overrides the widget's setting).
        public var keys: [String]
    }

    public var experiment: String
    /// Keys any variant sets: the widget settings' values for these do not reach its users.
    public var keys: [String]
    public var variants: [VariantKeys]
    /// Who is affected, in words.
    public var appliesTo: String

    enum CodingKeys: String, CodingKey {
        case experiment, keys, variants
        case appliesTo = "applies_to"
    }

    /// The overrides of `widget` by the active experiments among `experiments`, in router order.
    public static func overrides(of widget: Widget, in experiments: [Experiment], at now: Date = Date()) -> [SettingsOverride] {
        experiments.filter { $0.widgets.contains(widget) && $0.isActive(at: now) }.map { experiment in
            let variants = experiment.variants.map {
                VariantKeys(variant: $0.key, weight: $0.weight, keys: $0.parameters.setKeys)
            }
            var who = "users with a user_id"
            if experiment.coverage < 1 { who += String(format: " in %.0f%% coverage", experiment.coverage * 100) }
            if let namespace = experiment.namespace {
                who += " in namespace \(namespace.name) [\(namespace.start), \(namespace.end))"
            }
            who += "; anonymous requests and everyone else keep the widget settings"
            return SettingsOverride(
                experiment: experiment.key, keys: Array(Set(variants.flatMap(\.keys))).sorted(), variants: variants,
                appliesTo: who)
        }
    }
}

extension VariantParameters {
    /// The keys this document sets (snake_case, sorted): what it overrides in a layer below.
    public var setKeys: [String] {
        guard let data = try? JSONEncoder().encode(self),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return [] }
        return object.keys.sorted()
    }
}
