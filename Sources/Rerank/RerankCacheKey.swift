import Domain

/// The cache key of one (context, product, model) logit:
/// `ce:{modelVersion}:{16 hex digits of FNV-1a 64 of the query text}:{productID}`.
///
/// The document text is not in the key: it follows from the product, and a renamed product's
/// stale entry lives only as long as the cache's TTL.
public enum RerankCacheKey {
    public static func contextHash(query: String) -> String {
        StableHash.hex(query)
    }

    public static func make(modelVersion: String, contextHash: String, productID: ProductID) -> String {
        make(prefix: prefix(modelVersion: modelVersion, contextHash: contextHash), productID: productID)
    }

    /// `ce:{modelVersion}:{contextHash}:`, shared by every product of one context.
    public static func prefix(modelVersion: String, contextHash: String) -> String {
        "ce:" + modelVersion + ":" + contextHash + ":"
    }

    /// A context's key for one product in one allocation (a window builds 20 of them per request;
    /// chained `+` allocated an intermediate string per piece).
    public static func make(prefix: String, productID: ProductID) -> String {
        var key = String()
        key.reserveCapacity(prefix.utf8.count + productID.utf8.count)
        key.append(prefix)
        key.append(productID)
        return key
    }
}
