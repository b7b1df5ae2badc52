import Domain
import Experiments

/// The order in which one request's options are built, each layer overriding only the keys it
/// sets: the service defaults → the widget's built-in defaults (`WidgetProfile`) → the shop's
/// widget settings → the running experiment's variant for this user → the request's own
/// merchandising (`exclude=`, `pin=`, which add to the settings' block list and pins).
///
/// Written once here so the resolution the request service runs, the explain note that names
/// each layer, and the settings API that says which experiment overrides which keys all agree.
public enum OptionLayers {
    /// Service defaults → widget defaults → widget settings: what experiments start from.
    public static func settingsOptions(base: PipelineOptions, widget: Widget, settings: WidgetSettings) -> PipelineOptions {
        WidgetProfile.of(widget).defaultOptions(from: base).applying(settings.parameters)
    }

    /// The variant's parameters over the options it starts from.
    public static func variantOptions(_ options: PipelineOptions, variant: VariantParameters) -> PipelineOptions {
        options.applying(variant)
    }

    /// Explain's first note: `options: homepage defaults ← widget settings (alpha, gamma) ←
    /// experiment homepage-alpha/treatment (alpha)`; a key named in a later layer overrides the
    /// earlier one.
    /// - Parameter experiment: the experiment and variant this request ran under, with the
    ///   variant's parameters, or nil when it ran under none.
    public static func note(
        widget: Widget, settings: WidgetSettings,
        experiment: (key: String, variant: String, parameters: VariantParameters)?
    ) -> String {
        var layers = ["\(widget.rawValue) defaults"]
        let settingKeys = settings.parameters.setKeys
        var merchandising: [String] = []
        if !settings.blockList.isEmpty { merchandising.append("block_list") }
        if !settings.pinned.isEmpty { merchandising.append("pinned") }
        if !settingKeys.isEmpty || !merchandising.isEmpty {
            layers.append("widget settings (\((settingKeys + merchandising).joined(separator: ", ")))")
        }
        if let experiment {
            let keys = experiment.parameters.setKeys
            layers.append(
                "experiment \(experiment.key)/\(experiment.variant) (\(keys.isEmpty ? "no overrides" : keys.joined(separator: ", ")))")
        }
        return "options: " + layers.joined(separator: " ← ")
    }
}
