import Domain
import Foundation

/// The compact text form of an interaction kept in Redis lists: `type|product|epochSeconds|qty|value`.
/// Product ids may contain `|`, so the product id is the last field and is split off last.
enum EncodedEvent {
    static func encode(_ event: Interaction) -> String {
        "\(event.type.rawValue)|\(Int64(event.occurredAt.timeIntervalSince1970))|\(event.quantity)|\(event.value)|\(event.productID)"
    }

    static func decode(_ text: String, user: UserID) -> Interaction? {
        let parts = text.split(separator: "|", maxSplits: 4, omittingEmptySubsequences: false)
        guard parts.count == 5,
            let type = InteractionType(rawValue: String(parts[0])),
            let seconds = Int64(parts[1]),
            let quantity = Int(parts[2]),
            let value = Double(parts[3])
        else { return nil }
        return Interaction(
            userID: user, productID: String(parts[4]), type: type, quantity: quantity, value: value,
            occurredAt: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }
}
