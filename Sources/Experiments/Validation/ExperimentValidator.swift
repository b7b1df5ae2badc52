import Foundation

/// Checks experiment definitions, updates and status changes, collecting every problem at
/// once (not just the first) as field-named `FieldError`s.
///
/// Three levels, each including the previous:
/// - `validate(_:)`: the definition on its own (key, widgets, weights, ranges, parameters);
/// - `validate(_:among:)`: plus conflicts with other experiments (one running experiment per
///   widget per overlapping namespace range);
/// - `validateUpdate(from:to:among:)`: plus what may change given the stored status.
public struct ExperimentValidator: Sendable {
    /// Tolerance on the sum of the variant weights: they sum to 1 ± this.
    public var weightTolerance: Double = 1e-6
    /// Upper bound on `candidates_per_source`, so a typo cannot make a variant slow.
    public var maxCandidatesPerSource: Int = 5_000
    /// Upper bound on the rerank window (cross-encoder cost grows linearly with it).
    public var maxRerankWindow: Int = 200
    /// A window above this must come with a `rerank_budget_ms`: the cost ceiling of a setting.
    /// A cold homepage reranks the whole window on every request, so a large window without a
    /// budget made every such request many times slower (issue #21).
    public var maxRerankWindowWithoutBudget: Int = 50
    /// Upper bound on `rerank_budget_ms`: what one request may spend in the cross-encoder.
    public var maxRerankBudgetMilliseconds: Double = 1_000

    /// The limits above; a caller that needs others sets them on the value.
    public init() {}

    /// Problems with `experiment` on its own; empty when valid.
    public func validate(_ experiment: Experiment) -> [FieldError] {
        var errors: [FieldError] = []
        if !Self.isValidKey(experiment.key) {
            errors.append(FieldError(field: "key", message: "must be 1-64 characters of letters, digits, '_', '-' or '.'"))
        }
        if experiment.description.count > 2_000 {
            errors.append(FieldError(field: "description", message: "must be at most 2000 characters"))
        }
        if experiment.widgets.isEmpty {
            errors.append(FieldError(field: "widgets", message: "must name at least one widget"))
        } else if Set(experiment.widgets).count != experiment.widgets.count {
            errors.append(FieldError(field: "widgets", message: "must not repeat a widget"))
        }
        if let seed = experiment.hashSeed, seed.count > 256 {
            errors.append(FieldError(field: "hash_seed", message: "must be at most 256 characters"))
        }
        if !BucketHasher.supportedVersions.contains(experiment.hashVersion) {
            errors.append(FieldError(field: "hash_version", message: "must be 1 or 2"))
        }
        if !(experiment.coverage >= 0 && experiment.coverage <= 1) {
            errors.append(FieldError(field: "coverage", message: "must be between 0 and 1"))
        }
        if let namespace = experiment.namespace {
            if namespace.name.isEmpty || namespace.name.count > 128 {
                errors.append(FieldError(field: "namespace.name", message: "must be 1-128 characters"))
            }
            if !(namespace.start >= 0 && namespace.start <= 1) {
                errors.append(FieldError(field: "namespace.start", message: "must be between 0 and 1"))
            }
            if !(namespace.end >= 0 && namespace.end <= 1) {
                errors.append(FieldError(field: "namespace.end", message: "must be between 0 and 1"))
            } else if !(namespace.end > namespace.start) {
                errors.append(FieldError(field: "namespace.end", message: "must be greater than namespace.start"))
            }
        }
        if let startsAt = experiment.startsAt, let endsAt = experiment.endsAt, endsAt <= startsAt {
            errors.append(FieldError(field: "ends_at", message: "must be after starts_at"))
        }
        errors += validateVariants(experiment.variants)
        return errors
    }

    /// Problems with `experiment` among the stored `others` (the experiment itself, matched by
    /// key, is ignored there): a running experiment must not share a widget with another running
    /// one whose namespace range overlaps (no namespace = the whole traffic, overlapping all).
    public func validate(_ experiment: Experiment, among others: [Experiment]) -> [FieldError] {
        var errors = validate(experiment)
        if experiment.status == .running {
            for other in others where other.key != experiment.key && other.status == .running {
                guard Set(other.widgets).isDisjoint(with: experiment.widgets) == false else { continue }
                if Self.rangesOverlap(experiment.namespace, other.namespace) {
                    errors.append(FieldError(
                        field: "widgets",
                        message: "another running experiment uses the same widget in an overlapping namespace range"))
                    break
                }
            }
        }
        return errors
    }

    /// Problems with replacing `stored` by `updated` (same key): the status transition must be
    /// allowed, and only a draft may change its definition; a running experiment may change only
    /// its status, description and end time, a stopped one only its description.
    public func validateUpdate(from stored: Experiment, to updated: Experiment, among others: [Experiment]) -> [FieldError] {
        var errors = validate(updated, among: others)
        if updated.key != stored.key {
            errors.append(FieldError(field: "key", message: "cannot be changed"))
        }
        if !stored.status.canTransition(to: updated.status) {
            errors.append(FieldError(
                field: "status",
                message: "cannot change from \(stored.status.rawValue) to \(updated.status.rawValue)"))
        }
        if stored.status != .draft {
            var comparable = updated
            comparable.status = stored.status
            comparable.description = stored.description
            if stored.status == .running { comparable.endsAt = stored.endsAt }
            if comparable != stored {
                errors.append(FieldError(
                    field: "status",
                    message: "only a draft can be edited; a \(stored.status.rawValue) experiment may change only its description"
                        + (stored.status == .running ? ", end time and status" : "")))
            }
        }
        return errors
    }

    /// Throws `ExperimentValidationError` when `errors` is not empty.
    public static func check(_ errors: [FieldError]) throws {
        if !errors.isEmpty { throw ExperimentValidationError(errors: errors) }
    }

    /// Whether two (optional) namespace ranges can share a unit. `nil` is the whole traffic.
    public static func rangesOverlap(_ a: NamespaceRange?, _ b: NamespaceRange?) -> Bool {
        guard let a, let b else { return true }
        return a.overlaps(b)
    }

    /// `[A-Za-z0-9_.-]{1,64}`: safe in URLs, SQL identifiers in views and file names.
    public static func isValidKey(_ key: String) -> Bool {
        guard (1...64).contains(key.utf8.count) else { return false }
        return key.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x5F || byte == 0x2D || byte == 0x2E
        }
    }

    private func validateVariants(_ variants: [ExperimentVariant]) -> [FieldError] {
        var errors: [FieldError] = []
        if variants.count < 2 {
            errors.append(FieldError(field: "variants", message: "must have at least 2 variants"))
        }
        if variants.count > 20 {
            errors.append(FieldError(field: "variants", message: "must have at most 20 variants"))
        }
        var seen: Set<String> = []
        var allWeightsValid = true
        for (index, variant) in variants.enumerated() {
            let path = "variants[\(index)]"
            if !Self.isValidKey(variant.key) {
                errors.append(FieldError(field: "\(path).key", message: "must be 1-64 characters of letters, digits, '_', '-' or '.'"))
            } else if !seen.insert(variant.key).inserted {
                errors.append(FieldError(field: "\(path).key", message: "must be unique within the experiment"))
            }
            if !(variant.weight >= 0 && variant.weight <= 1) {
                errors.append(FieldError(field: "\(path).weight", message: "must be between 0 and 1"))
                allWeightsValid = false
            }
            errors += validate(variant.parameters, path: "\(path).parameters")
        }
        if allWeightsValid, variants.count >= 2 {
            let total = variants.reduce(0) { $0 + $1.weight }
            if abs(total - 1) > weightTolerance {
                errors.append(FieldError(field: "variants", message: "weights must sum to 1"))
            }
        }
        return errors
    }

    /// Problems with one set of ranking parameters, each field named under `path`
    /// (`variants[0].parameters.alpha`); the service's per-widget settings use the same rules.
    public func validate(_ p: VariantParameters, path: String) -> [FieldError] {
        var errors: [FieldError] = []
        func nonNegative(_ value: Float?, _ name: String) {
            if let value, !(value >= 0 && value.isFinite) {
                errors.append(FieldError(field: "\(path).\(name)", message: "must be a finite number >= 0"))
            }
        }
        func inRange(_ value: Int?, _ name: String, _ range: ClosedRange<Int>) {
            if let value, !range.contains(value) {
                errors.append(FieldError(field: "\(path).\(name)", message: "must be between \(range.lowerBound) and \(range.upperBound)"))
            }
        }
        nonNegative(p.alpha, "alpha")
        nonNegative(p.beta, "beta")
        nonNegative(p.gamma, "gamma")
        nonNegative(p.item2vecWeight, "item2vec_weight")
        if let a = p.alpha, let b = p.beta, let g = p.gamma, a + b + g == 0 {
            errors.append(FieldError(field: "\(path).alpha", message: "alpha, beta and gamma must not all be 0"))
        }
        inRange(p.candidatesPerSource, "candidates_per_source", 1...maxCandidatesPerSource)
        inRange(p.rerankWindow, "rerank_window", 0...maxRerankWindow)
        if let combination = p.rerankCombination, !VariantParameters.knownCombinations.contains(combination) {
            errors.append(FieldError(field: "\(path).rerank_combination", message: "must be one of additive, replace, rrf"))
        }
        nonNegative(p.rerankWeight, "rerank_weight")
        if let budget = p.rerankBudgetMilliseconds, !(budget > 0 && budget <= maxRerankBudgetMilliseconds) {
            errors.append(FieldError(
                field: "\(path).rerank_budget_ms",
                message: "must be between 0 (exclusive) and \(Int(maxRerankBudgetMilliseconds))"))
        }
        if let window = p.rerankWindow, window > maxRerankWindowWithoutBudget, window <= maxRerankWindow,
            p.rerankBudgetMilliseconds == nil
        {
            errors.append(FieldError(
                field: "\(path).rerank_budget_ms",
                message: "is required with a rerank_window above \(maxRerankWindowWithoutBudget) (the cost ceiling of a setting)"))
        }
        inRange(p.diversityMaxPerCategory, "diversity_max_per_category", 0...1_000)
        inRange(p.diversityWindow, "diversity_window", 0...1_000)
        nonNegative(p.promotionBoost, "promotion_boost")
        nonNegative(p.newArrivalBoost, "new_arrival_boost")
        inRange(p.newArrivalDays, "new_arrival_days", 0...3_650)
        inRange(p.excludeRecentPurchasesDays, "exclude_recent_purchases_days", 0...3_650)
        if let lambda = p.mmrLambda, !(lambda >= 0 && lambda <= 1) {
            errors.append(FieldError(field: "\(path).mmr_lambda", message: "must be between 0 and 1"))
        }
        let known = VariantParameters.knownRules.sorted().joined(separator: ", ")
        for (index, rule) in (p.enabledRules ?? []).enumerated() where !VariantParameters.knownRules.contains(rule) {
            errors.append(FieldError(field: "\(path).enabled_rules[\(index)]", message: "must be one of \(known)"))
        }
        for (index, rule) in (p.disabledRules ?? []).enumerated() where !VariantParameters.knownRules.contains(rule) {
            errors.append(FieldError(field: "\(path).disabled_rules[\(index)]", message: "must be one of \(known)"))
        }
        if !Set(p.enabledRules ?? []).isDisjoint(with: p.disabledRules ?? []) {
            errors.append(FieldError(field: "\(path).disabled_rules", message: "must not repeat a rule that is enabled"))
        }
        return errors
    }
}
