/// One arm of an experiment: a key (`control`, `treatment`, …), a traffic weight and the
/// ranking parameters it overrides. The first variant is the control that lifts are measured against.
public struct ExperimentVariant: Sendable, Hashable, Codable {
    public var key: String
    /// Share of the covered traffic; the weights of an experiment sum to 1.
    public var weight: Double
    public var parameters: VariantParameters

    public init(key: String, weight: Double, parameters: VariantParameters = VariantParameters()) {
        self.key = key
        self.weight = weight
        self.parameters = parameters
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case key, weight, parameters }

    public init(from decoder: any Decoder) throws {
        let c = try StrictKeys.container(decoder, keyedBy: CodingKeys.self)
        key = try c.decode(String.self, forKey: .key)
        weight = try c.decode(Double.self, forKey: .weight)
        parameters = try c.decodeIfPresent(VariantParameters.self, forKey: .parameters) ?? VariantParameters()
    }
}
