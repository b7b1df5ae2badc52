import Domain
import Foundation
import Rerank
import Support

/// The candidate dump of `recommend-batch --write-candidates`: one CSV row per product of each
/// list's rerank window, in the columns `training/` reads (see `training/README.md`):
///
/// `task,query_id,user_id,query_source,query,position,product_id,document,blended,content,co_purchase,similar_users,popularity`
///
/// `task` is `homepage` or `cart`; `query_id` the user id or basket id the list answers;
/// `query` and `document` are the cross-encoder's input texts exactly as stage 3 builds them;
/// `position` counts from 1 in blended order; the signals are stage 2's normalised scores.
/// Fields are quoted as RFC 4180 says when they hold a comma, a quote or a line break.
public enum RerankCandidateFile {
    public static let header =
        "task,query_id,user_id,query_source,query,position,product_id,document,blended,content,co_purchase,similar_users,popularity"

    /// The lists do not match the queries they should answer (count or user).
    public struct MismatchError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Writes `entries`, the log of one run over `queryIDs` (one list per query, in order).
    /// - Parameter users: the user each query belongs to, checked against the recorded context.
    public static func write(
        _ entries: [RerankCandidateLog.Entry], task: String, queryIDs: [String], users: [UserID], to url: URL
    ) throws {
        guard entries.count == queryIDs.count, users.count == queryIDs.count else {
            throw MismatchError(description: "\(entries.count) recorded lists for \(queryIDs.count) queries")
        }
        var text = header + "\n"
        for (index, entry) in entries.enumerated() {
            guard entry.userID == users[index] else {
                throw MismatchError(description: "list \(index) belongs to \(entry.userID ?? "nobody"), not \(users[index])")
            }
            let prefix = [task, queryIDs[index], users[index], entry.querySource.rawValue, entry.query].map(CSV.field).joined(separator: ",")
            for (offset, item) in entry.items.enumerated() {
                let signals = [item.blended, item.content, item.coPurchase, item.similarUsers, item.popularity]
                    .map { String(format: "%.6g", Double($0)) }
                text += prefix + ",\(offset + 1)," + CSV.field(item.productID) + "," + CSV.field(entry.documents[offset]) + ","
                    + signals.joined(separator: ",") + "\n"
            }
        }
        try text.write(to: url, atomically: true, encoding: .utf8)
    }
}
