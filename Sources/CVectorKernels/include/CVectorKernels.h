#ifndef HYBRIDRANK_CVECTORKERNELS_H
#define HYBRIDRANK_CVECTORKERNELS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/// Integer dot products of `rows` int8 rows (row-major, `dim` columns, `stride` bytes apart) with
/// one int16 query: out[r] = Σ_i codes[r][i] · query[i], in int32.
///
/// The caller keeps |Σ| below 2^31 (|query| ≤ 2^31 / (127 · dim)). AVX2 (vpmaddwd) when the CPU
/// has it, chosen once at run time; plain C otherwise. The exact-search prefilter of
/// `VectorIndex` reads a quarter of the fp32 matrix's bytes through this, which is what a
/// memory-bound scan over 100k products needs.
void hr_int8_dot_rows(const int8_t *codes, size_t rows, size_t dim, size_t stride,
                      const int16_t *query, int32_t *out);

/// The fp32 dot-product kernels, one per instruction set. `hr_dot_f32` uses the best one the CPU
/// has (chosen once); the others are callable by path for tests that compare every kernel the
/// machine can run against the portable one.
enum {
    HR_KERNEL_PORTABLE = 0,
    HR_KERNEL_AVX2 = 1,
    HR_KERNEL_AVX512 = 2,
};
/// Bit `1 << path` set for each kernel path this CPU can run.
unsigned hr_kernel_paths_available(void);
/// The path `hr_dot_f32` dispatches to.
int hr_kernel_path_selected(void);
float hr_dot_f32(const float *a, const float *b, size_t n);
/// `hr_dot_f32` through one named path (must be available).
float hr_dot_f32_path(int path, const float *a, const float *b, size_t n);

/// The HNSW graph (Malkov & Yashunin; the layout and loops of hnswlib): each node's level-0
/// neighbour list and vector in one block, upper-level lists apart (about 1/M of the nodes have
/// them). Similarity is the inner product (vectors are L2-normalised). Nodes are numbered by the
/// caller (0..<capacity); the caller also owns tombstones' meaning (filters, ids).
///
/// Thread safety: searches may run concurrently with each other; `hr_hnsw_link` may run
/// concurrently with other `hr_hnsw_link` calls (per-node locks for writers, as hnswlib; unlike
/// hnswlib, a link's searches copy lists without them), but neither may run at the same time as a
/// search or as any other call. The Swift wrapper enforces this with a
/// read-write lock.
typedef struct hr_hnsw hr_hnsw;

hr_hnsw *hr_hnsw_create(size_t dim, size_t m, size_t ef_construction);
void hr_hnsw_destroy(hr_hnsw *h);
/// Grows the node capacity (never shrinks). Returns 0 on success.
int hr_hnsw_reserve(hr_hnsw *h, size_t capacity);
size_t hr_hnsw_capacity(const hr_hnsw *h);
/// Nodes ever prepared (the highest prepared node + 1).
size_t hr_hnsw_node_count(const hr_hnsw *h);
/// Writes a node's vector and level and empties its lists (a fresh node, or a repaired slot being
/// reused). Not linked yet: call `hr_hnsw_link`. Returns 0 on success.
int hr_hnsw_prepare(hr_hnsw *h, int32_t node, const float *vector, int level);
/// As `hr_hnsw_prepare` for a slot never prepared before (at or above the node count when the
/// batch began). Unlike `hr_hnsw_prepare`, calls for distinct nodes may run concurrently with each
/// other (but with no other call).
int hr_hnsw_prepare_fresh(hr_hnsw *h, int32_t node, const float *vector, int level);
/// Links a prepared node into the graph (hnswlib's addPoint).
void hr_hnsw_link(hr_hnsw *h, int32_t node);
/// Links `nodes` on the calling thread, claiming a few at a time from `*next` (0 at the start, one
/// counter shared by every worker of the batch) until all are claimed: workers that get less CPU
/// claim fewer, so none waits at the end for another's fixed share.
void hr_hnsw_link_claimed(hr_hnsw *h, const int32_t *nodes, size_t count, size_t *next);
/// Up to `ef` nearest nodes to `query` (tombstoned ones included: they still route), best first.
/// Returns how many were written.
size_t hr_hnsw_search(hr_hnsw *h, const float *query, size_t ef, int32_t *out_nodes, float *out_scores);
const float *hr_hnsw_vector(const hr_hnsw *h, int32_t node);
void hr_hnsw_set_deleted(hr_hnsw *h, int32_t node, int deleted);
int hr_hnsw_is_deleted(const hr_hnsw *h, int32_t node);
/// Unlinks every tombstoned node: each live node that points at one gets its list re-chosen (the
/// heuristic) from its live neighbours and the tombstoned node's live neighbours. Afterwards the
/// tombstoned nodes are unreachable and their slots may be prepared again. Returns how many
/// tombstoned nodes were unlinked.
size_t hr_hnsw_repair(hr_hnsw *h);
/// Bytes of graph memory (blocks, upper lists, per-node bookkeeping) per prepared node.
size_t hr_hnsw_bytes(const hr_hnsw *h);
/// Level-0 neighbour count of a node (tests check degree bounds).
size_t hr_hnsw_degree(const hr_hnsw *h, int32_t node, int level);
int hr_hnsw_level(const hr_hnsw *h, int32_t node);
/// Graph state to/from a stdio stream (raw little-endian; the caller writes its own header).
/// Returns 0 on success.
int hr_hnsw_write(const hr_hnsw *h, FILE *file);
hr_hnsw *hr_hnsw_read(FILE *file);

#endif
