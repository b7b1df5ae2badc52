import Candidates

/// Which index serves content candidates and semantic search.
///
/// Exact search scans every product (through an int8 prefilter from 20k products on, still
/// returning the exact fp32 top-K), so its cost grows linearly with the catalog. HNSW visits a
/// small part of a graph, so its cost grows far more slowly, at the price of a slower insert and
/// approximate answers (recall and latency against exact search at 100k and 1M products:
/// docs/benchmarks/vector-search.md). Exact is the default: most shops have well under a million
/// products.
public enum VectorIndexKind: Sendable, Hashable {
    case exact
    case hnsw(HNSWIndex.Configuration)

    /// HNSW as measured at 1M products: M 16, efConstruction 100, efSearch 128.
    public static let hnswDefault = VectorIndexKind.hnsw(.init(m: 16, efConstruction: 100, efSearch: 128))

    /// Parses `exact` or `hnsw` (`--vector-index`, `HYBRIDRANK_VECTOR_INDEX`).
    public init?(argument: String) {
        switch argument.lowercased() {
        case "exact": self = .exact
        case "hnsw": self = .hnswDefault
        default: return nil
        }
    }

    /// A new, empty index of this kind.
    public func makeIndex(dimension: Int) -> any ProductVectorIndex {
        switch self {
        case .exact: return VectorIndex(dimension: dimension)
        case .hnsw(let configuration): return HNSWIndex(dimension: dimension, configuration: configuration)
        }
    }
}
