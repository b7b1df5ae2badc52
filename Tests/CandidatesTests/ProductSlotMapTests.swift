import Domain
import Testing

@Suite struct ProductSlotMapTests {
    @Test func numbersDistinctIDsInOrderOfFirstAppearance() {
        var map = ProductSlotMap(capacity: 4)
        let input = ["P000002", "P000001", "P000002", "85123A", "P000001", ""]
        let slots = input.map { map.slot(for: $0) }
        #expect(slots.map(\.slot) == [0, 1, 0, 2, 1, 3])
        #expect(slots.map(\.inserted) == [true, true, false, true, false, true])
        #expect(map.ids == ["P000002", "P000001", "85123A", ""])
        #expect(map.count == 4)
        #expect(map.slot(of: "85123A") == 2)
        #expect(map.slot(of: "P000003") == nil)
    }

    /// Far past the announced capacity (the table grows), with long (heap) and non-ASCII ids,
    /// against a dictionary.
    @Test func agreesWithADictionaryPastItsCapacity() {
        var map = ProductSlotMap(capacity: 2)
        var reference: [ProductID: Int] = [:]
        var order: [ProductID] = []
        var random = SplitMix64(seed: 7)
        for _ in 0..<5_000 {
            let n = random.next() % 1_500
            let id = n % 3 == 0 ? "a-much-longer-product-identifier-\(n)" : (n % 3 == 1 ? "P\(n)" : "Produkt-ä-\(n)")
            let expected: (Int, Bool)
            if let slot = reference[id] {
                expected = (slot, false)
            } else {
                expected = (order.count, true)
                reference[id] = order.count
                order.append(id)
            }
            let got = map.slot(for: id)
            #expect(got.slot == expected.0 && got.inserted == expected.1, "\(id)")
        }
        #expect(map.ids == order)
        for (id, slot) in reference { #expect(map.slot(of: id) == slot) }
        #expect(map.slot(of: "P1500") == nil)

        // The batched look-up gives every slot the single one does, unknown ids included.
        let queries = Array(reference.keys) + (1_500..<1_700).map { "P\($0)" } + ["", "a-much-longer-product-identifier-0"]
        let batched = map.slots(of: queries)
        #expect(batched == queries.map { reference[$0] })
        #expect(batched.filter { $0 == nil }.count == 201)
        #expect(map.slots(of: []).isEmpty)
    }
}
