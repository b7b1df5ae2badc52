import Candidates
import Domain
import Foundation
import Logging

/// Saving, loading and building the content index off the request path: a replica with a saved
/// index starts serving it without reading every embedding or rebuilding a graph, and catches up
/// from the saved catalog watermark (`CatalogReconciler`).
extension LiveIndexes {
    /// Loads the index saved at `path` when it holds the configured kind and `modelVersion`, and
    /// makes it the serving one (writes since `servingVectors.beginReplacement()` are replayed).
    /// Returns its catalog watermark, or nil (no file, another model or kind, unreadable).
    func loadVectorSnapshot(from path: String, modelVersion: String) -> Date? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let url = URL(fileURLWithPath: path)
        do {
            let index: any ProductVectorIndex
            let metadata: IndexSnapshotMetadata
            switch vectorIndexKind {
            case .exact: (index, metadata) = try VectorIndex.load(from: url)
            case .hnsw: (index, metadata) = try HNSWIndex.load(from: url)
            }
            guard metadata.modelVersion == modelVersion, index.dimension == servingVectors.dimension else {
                logger.info("vector index snapshot is for another model; rebuilding", metadata: ["path": "\(path)"])
                return nil
            }
            servingVectors.completeReplacement(with: index)
            return metadata.catalogWatermark
        } catch {
            logger.warning("vector index snapshot unreadable; rebuilding", metadata: ["error": "\(error)"])
            return nil
        }
    }

    /// Builds the configured HNSW index from `products` on a thread of its own and swaps it in;
    /// exact search serves meanwhile. For the exact kind there is nothing to build.
    func buildVectorIndexInBackground(_ products: [(product: Product, vector: [Float])]) {
        guard case .hnsw(let configuration) = vectorIndexKind else {
            servingVectors.cancelReplacement()
            return
        }
        let dimension = servingVectors.dimension, logger = logger
        let threads = ProcessInfo.processInfo.activeProcessorCount
        let started = Date()
        let swap = servingVectors.replaceInBackground {
            let index = HNSWIndex(dimension: dimension, configuration: configuration)
            index.insert(products, threads: threads)
            return index
        }
        // Logged after the swap, not when the graph is linked: only then does it serve (and can
        // it be saved), after the writes made during the build are replayed into it.
        Task {
            await swap.value
            logger.info(
                "HNSW index built; it serves from now",
                metadata: ["products": "\(products.count)", "seconds": "\(Int(Date().timeIntervalSince(started)))"])
        }
    }

    /// Saves the serving index with `modelVersion` and `watermark` (skipped while a replacement
    /// is pending: the index serving then is not the configured kind). Blocks for the write:
    /// call it off the event loops and the concurrency pool.
    func saveVectorSnapshot(to path: String, modelVersion: String, watermark: Date) throws {
        guard !servingVectors.isReplacing else { return }
        let metadata = IndexSnapshotMetadata(modelVersion: modelVersion, catalogWatermark: watermark)
        let url = URL(fileURLWithPath: path)
        switch servingVectors.serving {
        case let hnsw as HNSWIndex: try hnsw.save(to: url, metadata: metadata)
        case let exact as VectorIndex: try exact.save(to: url, metadata: metadata)
        default: return
        }
    }
}
