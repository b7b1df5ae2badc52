import Domain
import Experiments

/// A shop's standing settings for one widget: the ranking knobs an experiment variant may set
/// (weights, candidate depth, rerank window and combination, rule sizes and switches), plus the
/// merchandising that belongs to a placement rather than to one request — products never shown
/// there and products pinned at fixed positions.
///
/// Layering (`OptionLayers`), each level over the one before: the service defaults → the built-in
/// widget defaults (`WidgetProfile`) → these settings → a running experiment's variant → the
/// request's own `exclude=` and `pin=` (added to the block list; a request pin takes its position
/// from a settings pin). Stored per widget in PostgreSQL (`widget_settings`) and re-read by every
/// replica with the experiments.
///
/// JSON: `{"parameters": {…variant parameter keys…}, "block_list": ["p1"],
/// "pinned": [{"position": 1, "product_id": "p7"}]}`; every key may be left out.
public struct WidgetSettings: Sendable, Hashable, Codable {
    /// A product shown at a fixed position of the widget.
    public struct Pin: Sendable, Hashable, Codable {
        /// 1-based, as the `pin=` query parameter spells positions.
        public var position: Int
        public var productID: ProductID

        enum CodingKeys: String, CodingKey, CaseIterable {
            case position
            case productID = "product_id"
        }
    }

    public var parameters: VariantParameters
    /// Products this widget never shows.
    public var blockList: [ProductID]
    public var pinned: [Pin]

    /// Bounds that keep a settings document small enough to apply on every request.
    public static let maximumBlockList = 1_000
    public static let maximumPins = 20

    public init(parameters: VariantParameters = VariantParameters(), blockList: [ProductID] = [], pinned: [Pin] = []) {
        self.parameters = parameters
        self.blockList = blockList
        self.pinned = pinned
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case parameters
        case blockList = "block_list"
        case pinned
    }

    /// Strict about keys at every level (`StrictKeys`): a misspelt key is a 400 naming it.
    public init(from decoder: any Decoder) throws {
        let container = try StrictKeys.container(decoder, keyedBy: CodingKeys.self)
        parameters = try container.decodeIfPresent(VariantParameters.self, forKey: .parameters) ?? VariantParameters()
        blockList = try container.decodeIfPresent([ProductID].self, forKey: .blockList) ?? []
        pinned = try container.decodeIfPresent([Pin].self, forKey: .pinned) ?? []
    }

    /// Whether the settings change nothing.
    public var isEmpty: Bool { self == WidgetSettings() }

    /// Every problem, named by field (`parameters.alpha`, `pinned[1].position`, …); empty when valid.
    /// - Parameter maximumLimit: the largest `limit` a widget accepts; pins must fall inside it.
    public func validate(maximumLimit: Int, validator: ExperimentValidator = ExperimentValidator()) -> [FieldError] {
        var errors = validator.validate(parameters, path: "parameters")
        if blockList.count > Self.maximumBlockList {
            errors.append(FieldError(field: "block_list", message: "must hold at most \(Self.maximumBlockList) product ids"))
        }
        for (index, id) in blockList.enumerated() where !IdentifierRule.isValid(id) {
            errors.append(FieldError(field: "block_list[\(index)]", message: "must be 1–256 characters without whitespace or control characters"))
        }
        if pinned.count > Self.maximumPins {
            errors.append(FieldError(field: "pinned", message: "must hold at most \(Self.maximumPins) pins"))
        }
        var positions: Set<Int> = []
        var products: Set<ProductID> = []
        let blocked = Set(blockList)
        for (index, pin) in pinned.enumerated() {
            if !(1...maximumLimit).contains(pin.position) {
                errors.append(FieldError(field: "pinned[\(index)].position", message: "must be between 1 and \(maximumLimit)"))
            } else if !positions.insert(pin.position).inserted {
                errors.append(FieldError(field: "pinned[\(index)].position", message: "must not repeat a pinned position"))
            }
            if !IdentifierRule.isValid(pin.productID) {
                errors.append(FieldError(field: "pinned[\(index)].product_id", message: "must be 1–256 characters without whitespace or control characters"))
            } else if !products.insert(pin.productID).inserted {
                errors.append(FieldError(field: "pinned[\(index)].product_id", message: "must not pin a product twice"))
            } else if blocked.contains(pin.productID) {
                errors.append(FieldError(field: "pinned[\(index)].product_id", message: "must not pin a product of the block list"))
            }
        }
        return errors
    }
}

extension WidgetSettings.Pin {
    /// Refuses keys the API does not know (`StrictKeys`). Written in an extension, so the struct
    /// keeps the memberwise initialiser the compiler writes.
    public init(from decoder: any Decoder) throws {
        let container = try StrictKeys.container(decoder, keyedBy: CodingKeys.self)
        position = try container.decode(Int.self, forKey: .position)
        productID = try container.decode(ProductID.self, forKey: .productID)
    }
}
