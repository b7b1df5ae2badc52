import Foundation
import Domain

/// An A/B experiment on how HybridRank ranks, as a product manager defines it.
///
/// JSON (and YAML) keys are snake_case; dates are ISO 8601 (`ExperimentCoding`). Optional
/// fields fall back to documented defaults when decoding, so a minimal definition is
/// `{"key": "...", "widgets": ["homepage"], "variants": [...]}`.
public struct Experiment: Sendable, Hashable, Codable {
    /// Unique, URL-safe identifier (`[A-Za-z0-9_.-]`, 1–64 characters).
    public var key: String
    public var description: String
    /// The placements the experiment applies to (at least one).
    public var widgets: [Widget]
    public var status: ExperimentStatus
    /// Seed mixed into the hash; `nil` means the key (GrowthBook's default), so renaming
    /// nothing else reshuffles users.
    public var hashSeed: String?
    /// GrowthBook hash version; 2 (unbiased) by default.
    public var hashVersion: Int
    /// Share of eligible units that enter the experiment, in [0, 1]; the rest see the defaults
    /// and are not counted.
    public var coverage: Double
    /// Optional slice of a namespace, for mutually exclusive experiments.
    public var namespace: NamespaceRange?
    public var startsAt: Date?
    public var endsAt: Date?
    /// Two or more arms; the first is the control.
    public var variants: [ExperimentVariant]

    public init(
        key: String,
        description: String = "",
        widgets: [Widget],
        status: ExperimentStatus = .draft,
        hashSeed: String? = nil,
        hashVersion: Int = 2,
        coverage: Double = 1,
        namespace: NamespaceRange? = nil,
        startsAt: Date? = nil,
        endsAt: Date? = nil,
        variants: [ExperimentVariant]
    ) {
        self.key = key
        self.description = description
        self.widgets = widgets
        self.status = status
        self.hashSeed = hashSeed
        self.hashVersion = hashVersion
        self.coverage = coverage
        self.namespace = namespace
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.variants = variants
    }

    /// The seed actually hashed: `hashSeed`, or the key when unset or empty.
    public var effectiveSeed: String {
        if let hashSeed, !hashSeed.isEmpty { return hashSeed }
        return key
    }

    /// The variant weights in order.
    public var weights: [Double] { variants.map(\.weight) }

    /// The control arm (the first variant), if any.
    public var control: ExperimentVariant? { variants.first }

    /// Whether the experiment is running and `date` lies in `[startsAt, endsAt)`.
    public func isActive(at date: Date) -> Bool {
        guard status == .running else { return false }
        if let startsAt, date < startsAt { return false }
        if let endsAt, date >= endsAt { return false }
        return true
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case key, description, widgets, status
        case hashSeed = "hash_seed"
        case hashVersion = "hash_version"
        case coverage, namespace
        case startsAt = "starts_at"
        case endsAt = "ends_at"
        case variants
    }

    /// Strict about keys (`StrictKeys`). `key` may be left out where the context names the
    /// experiment (`PUT /v1/experiments/{key}`); elsewhere an empty key fails validation as `key`.
    public init(from decoder: any Decoder) throws {
        let c = try StrictKeys.container(decoder, keyedBy: CodingKeys.self)
        key = try c.decodeIfPresent(String.self, forKey: .key) ?? ""
        description = try c.decodeIfPresent(String.self, forKey: .description) ?? ""
        widgets = try c.decodeIfPresent([Widget].self, forKey: .widgets) ?? []
        status = try c.decodeIfPresent(ExperimentStatus.self, forKey: .status) ?? .draft
        hashSeed = try c.decodeIfPresent(String.self, forKey: .hashSeed)
        hashVersion = try c.decodeIfPresent(Int.self, forKey: .hashVersion) ?? 2
        coverage = try c.decodeIfPresent(Double.self, forKey: .coverage) ?? 1
        namespace = try c.decodeIfPresent(NamespaceRange.self, forKey: .namespace)
        startsAt = try c.decodeIfPresent(Date.self, forKey: .startsAt)
        endsAt = try c.decodeIfPresent(Date.self, forKey: .endsAt)
        variants = try c.decodeIfPresent([ExperimentVariant].self, forKey: .variants) ?? []
    }
}
