/// One stream entry: its id (`1700000000000-0`) and fields.
public struct RedisStreamEntry: Sendable, Hashable {
    public var id: String
    public var fields: [String: String]

    public init(id: String, fields: [String: String]) {
        self.id = id
        self.fields = fields
    }
}
