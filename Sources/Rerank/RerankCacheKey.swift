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
        "ce:" + modelVersion + ":" + contextHash + ":" + productID
    }
}
