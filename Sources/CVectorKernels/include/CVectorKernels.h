#ifndef HYBRIDRANK_CVECTORKERNELS_H
#define HYBRIDRANK_CVECTORKERNELS_H

#include <stddef.h>
#include <stdint.h>

/// Integer dot products of `rows` int8 rows (row-major, `dim` columns, `stride` bytes apart) with
/// one int16 query: out[r] = Σ_i codes[r][i] · query[i], in int32.
///
/// The caller keeps |Σ| below 2^31 (|query| ≤ 2^31 / (127 · dim)). AVX2 (vpmaddwd) when the CPU
/// has it, chosen once at run time; plain C otherwise. The exact-search prefilter of
/// `VectorIndex` reads a quarter of the fp32 matrix's bytes through this, which is what a
/// memory-bound scan over 100k products needs.
void hr_int8_dot_rows(const int8_t *codes, size_t rows, size_t dim, size_t stride,
                      const int16_t *query, int32_t *out);

#endif
