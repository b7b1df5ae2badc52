import Domain
import Foundation
import Support

/// One basket-completion query: the basket minus its hidden product.
public struct CartQuery: Sendable, Hashable {
    public var basketID: String
    public var customerID: UserID
    public var cart: [ProductID]
    public var hidden: ProductID?

    public init(basketID: String, customerID: UserID, cart: [ProductID], hidden: ProductID? = nil) {
        self.basketID = basketID
        self.customerID = customerID
        self.cart = cart
        self.hidden = hidden
    }
}

/// The offline protocol of `../shared/eval/PROTOCOL.md` / `protocol.py`: a time split, the users
/// and truth of tasks A (discovery) and B (all purchases), and task C's basket queries.
public struct EvaluationProtocol: Sendable {
    public static let taskCSeed = "online-retail-taskC-v1"
    public static let taskCMaxBaskets = 5000

    public let history: [Interaction]
    public let window: [Interaction]
    public let splitDate: Date

    /// History = purchases before `splitDate`; window = `splitDate ≤ t < endDate`.
    public init(events: [Interaction], splitDate: Date, endDate: Date) {
        history = events.filter { $0.type == .purchase && $0.occurredAt < splitDate }
        window = events.filter { $0.type == .purchase && $0.occurredAt >= splitDate && $0.occurredAt < endDate }
        self.splitDate = splitDate
    }

    /// Customers with history who buy in the window, sorted.
    public var evaluationUsers: [UserID] {
        Set(history.map(\.userID)).intersection(window.map(\.userID)).sorted()
    }

    public var historyItemsByUser: [UserID: Set<ProductID>] {
        Dictionary(grouping: history, by: \.userID).mapValues { Set($0.map(\.productID)) }
    }

    /// Task A: distinct window purchases never bought in the history; users with empty truth dropped.
    public func truthTaskA() -> [UserID: Set<ProductID>] {
        let users = Set(evaluationUsers)
        let before = historyItemsByUser
        var truth: [UserID: Set<ProductID>] = [:]
        for event in window where users.contains(event.userID) && !(before[event.userID]?.contains(event.productID) ?? false) {
            truth[event.userID, default: []].insert(event.productID)
        }
        return truth
    }

    /// Task B: all distinct window purchases of the evaluation users.
    public func truthTaskB() -> [UserID: Set<ProductID>] {
        let users = Set(evaluationUsers)
        var truth: [UserID: Set<ProductID>] = [:]
        for event in window where users.contains(event.userID) { truth[event.userID, default: []].insert(event.productID) }
        return truth
    }

    /// Task C: window baskets with ≥ 2 distinct products, the 5,000 with the smallest
    /// sha256("seed|sample|basket"), each hiding product `sha256("seed|hide|basket") mod n` of its
    /// sorted distinct products; sorted by basket id (string order, as pandas sorts).
    public func taskCQueries() -> [CartQuery] {
        var products: [String: Set<ProductID>] = [:]
        var customer: [String: UserID] = [:]
        var firstTime: [String: Date] = [:]
        for event in window {
            guard let basket = event.basketID else { continue }
            products[basket, default: []].insert(event.productID)
            if let t = firstTime[basket], t <= event.occurredAt { continue }
            firstTime[basket] = event.occurredAt
            customer[basket] = event.userID
        }
        let eligible = products.filter { $0.value.count >= 2 }.map(\.key)
        let chosen = eligible
            .map { (basket: $0, key: SHA256.hex("\(Self.taskCSeed)|sample|\($0)")) }
            .sorted { $0.key < $1.key }
            .prefix(Self.taskCMaxBaskets)
            .map(\.basket)
        return chosen.sorted().map { basket in
            let sorted = products[basket]!.sorted()
            let hide = SHA256.remainder("\(Self.taskCSeed)|hide|\(basket)", modulus: sorted.count)
            var cart = sorted
            let hidden = cart.remove(at: hide)
            return CartQuery(basketID: basket, customerID: customer[basket] ?? "", cart: cart, hidden: hidden)
        }
    }
}
