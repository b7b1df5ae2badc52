import Domain
import Foundation
import Support

/// The compact text form of an interaction kept in Redis lists: `type|epochSeconds|qty|value|product`.
/// Product ids may contain `|`, so the product id is the last field and is split off last.
enum EncodedEvent {
    static func encode(_ event: Interaction) -> String {
        "\(event.type.rawValue)|\(EpochSeconds.floor(event.occurredAt))|\(event.quantity)|\(event.value)|\(event.productID)"
    }

    static func decode(_ text: String, user: UserID) -> Interaction? {
        var text = text
        return text.withUTF8 { decode(utf8: $0, user: user) }
    }

    /// Decodes a Redis bulk string as it arrived, without making a `String` of it first.
    static func decode(_ bytes: [UInt8], user: UserID) -> Interaction? {
        bytes.withUnsafeBufferPointer { decode(utf8: $0, user: user) }
    }

    /// Every widget request decodes the shopper's history (up to 200 events), so this scans the
    /// bytes once for the four separators and parses the integers in place; only the type, the
    /// value and the product id become strings.
    private static func decode(utf8 bytes: UnsafeBufferPointer<UInt8>, user: UserID) -> Interaction? {
        let bar = UInt8(ascii: "|")
        var cuts = (-1, -1, -1, -1)
        var found = 0
        var index = 0
        while index < bytes.count, found < 4 {
            if bytes[index] == bar {
                switch found {
                case 0: cuts.0 = index
                case 1: cuts.1 = index
                case 2: cuts.2 = index
                default: cuts.3 = index
                }
                found += 1
            }
            index += 1
        }
        guard found == 4,
            let type = interactionType(bytes, 0..<cuts.0),
            let seconds = integer(bytes, (cuts.0 + 1)..<cuts.1),
            let quantity = integer(bytes, (cuts.1 + 1)..<cuts.2),
            let value = decimal(bytes, (cuts.2 + 1)..<cuts.3)
        else { return nil }
        return Interaction(
            userID: user, productID: text(bytes, (cuts.3 + 1)..<bytes.count), type: type, quantity: Int(quantity),
            value: value, occurredAt: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }

    /// Each type's name as bytes, for `interactionType`.
    private static let typeNames: [(type: InteractionType, name: [UInt8])] = InteractionType.allCases.map {
        ($0, Array($0.rawValue.utf8))
    }

    /// The type the bytes name, compared in place: no `String` per event (a buyer of the Online
    /// Retail data has 200 events in every widget request's history).
    private static func interactionType(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> InteractionType? {
        let name = UnsafeBufferPointer(rebasing: bytes[range])
        return typeNames.first { $0.name.elementsEqual(name) }?.type
    }

    /// The value: `0.0` (every view and most events, as `encode` writes zero) without a parse,
    /// anything else through `Double`'s own.
    private static func decimal(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Double? {
        if range.count == 3, bytes[range.lowerBound] == UInt8(ascii: "0"), bytes[range.lowerBound + 1] == UInt8(ascii: "."),
            bytes[range.lowerBound + 2] == UInt8(ascii: "0")
        {
            return 0
        }
        return Double(text(bytes, range))
    }

    private static func text(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    /// A decimal integer with an optional leading `-`; `nil` for anything else or on overflow.
    private static func integer(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int64? {
        var position = range.lowerBound
        let negative = position < range.upperBound && bytes[position] == UInt8(ascii: "-")
        if negative { position += 1 }
        guard position < range.upperBound, range.count <= 20 else { return nil }
        var result: Int64 = 0
        while position < range.upperBound {
            let digit = bytes[position] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            let (shifted, overflowA) = result.multipliedReportingOverflow(by: 10)
            let (sum, overflowB) = shifted.addingReportingOverflow(Int64(digit))
            guard !overflowA, !overflowB else { return nil }
            result = sum
            position += 1
        }
        return negative ? -result : result
    }
}
