import Domain
import Foundation
import Support

/// Reading query files and writing `key,rank,product_id` result files for `recommend-batch`.
public enum RecommendationFile {
    /// `user_id` column of a users file.
    public static func readUsers(_ url: URL) throws -> [UserID] {
        let table = try CSVTable.read(url)
        let column = try table.column("user_id")
        return table.rows.map { $0[column] }
    }

    /// `basket_id,customer_id,timestamp,cart` rows (cart = ids separated by spaces).
    public static func readCarts(_ url: URL) throws -> [CartQuery] {
        let table = try CSVTable.read(url)
        let basket = try table.column("basket_id")
        let customer = try table.column("customer_id")
        let cart = try table.column("cart")
        return table.rows.map { row in
            CartQuery(basketID: row[basket], customerID: row[customer], cart: row[cart].split(separator: " ").map(String.init))
        }
    }

    /// Writes `<keyColumn>,rank,product_id` with ranks from 1, keys in the given order.
    public static func write(_ lists: [String: [ProductID]], keys: [String], keyColumn: String, to url: URL) throws {
        var text = "\(keyColumn),rank,product_id\n"
        for key in keys {
            for (rank, product) in (lists[key] ?? []).enumerated() {
                text += "\(CSV.field(key)),\(rank + 1),\(CSV.field(product))\n"
            }
        }
        try text.write(to: url, atomically: true, encoding: .utf8)
    }
}
