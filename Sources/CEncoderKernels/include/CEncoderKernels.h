#ifndef HYBRIDRANK_CENCODERKERNELS_H
#define HYBRIDRANK_CENCODERKERNELS_H

#include <stddef.h>

/// The element-wise parts of the MiniLM encoder and its attention, for `BertEncoder`.
///
/// Each compute-bound function has an AVX2 + FMA body, chosen once at run time when the CPU has
/// both, and a plain C body with the same formulas otherwise (the memory-bound prefill has one body). They exist because Swift compiles for baseline x86-64
/// (SSE2): its vectorised loops ran 4 lanes wide and the softmax's exp not at all, and the per-head
/// attention products went through thousands of tiny `cblas_sgemm` calls per request.

/// out[r][c] = bias[c] (+ residual[r][c] when `residual` is not NULL), for `rows` rows of `columns`
/// values `out_stride` / `residual_stride` floats apart. Fills a product's output before an sgemm
/// with beta = 1, so bias and residual cost no separate pass.
void hr_encoder_prefill(float *out, size_t out_stride, const float *bias,
                        const float *residual, size_t residual_stride,
                        size_t rows, size_t columns);

/// In place over `count` values: x = 0.5·x·(1 + erf(x/√2)), the exact (erf) GELU of BERT, with
/// erf from the Eigen/XLA rational approximation (within a few ulp of erff).
void hr_encoder_gelu(float *x, size_t count);

/// out[r] = (x[r] − mean) / sqrt(var + epsilon) · gamma + beta for `rows` contiguous rows of
/// `columns` values (biased variance, as PyTorch). `x` and `out` may not alias.
void hr_encoder_layer_norm(const float *x, float *out, const float *gamma, const float *beta,
                           size_t rows, size_t columns, float epsilon);

/// Scratch floats `hr_encoder_attention` needs for a sequence of `length` tokens with
/// `hidden_size` = heads · head size columns.
size_t hr_encoder_attention_scratch(size_t length, size_t hidden_size);

/// Self-attention of one sequence, every head: for each of the first `query_rows` query rows i
/// and head h, context[i][h·d ..< (h+1)·d] = softmax(scale · q_i,h · K_hᵀ) · V_h.
///
/// `q` rows are `q_stride` floats apart, `k` and `v` rows `kv_stride` apart (the fused QKV matrix
/// gives all three with stride 3H); head h occupies columns h·d ..< (h+1)·d of each. With
/// `query_rows` = 1 only the first token ([CLS]) attends, which is all a cross-encoder's last layer
/// needs. `scratch` holds `hr_encoder_attention_scratch(length, heads · d)` floats.
void hr_encoder_attention(const float *q, size_t q_stride, const float *k, const float *v,
                          size_t kv_stride, size_t length, size_t query_rows, size_t heads,
                          size_t head_size, float scale, float *scratch, float *context,
                          size_t context_stride);

#endif
