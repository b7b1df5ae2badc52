#include "CEncoderKernels.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

static size_t round_up8(size_t n) { return (n + 7) & ~(size_t)7; }

size_t hr_encoder_attention_scratch(size_t length, size_t hidden_size) {
    return (hidden_size + 1) * round_up8(length) + 8;
}

/// One body for every CPU: the pass is memory-bound, so the compiler's vectorisation of this loop
/// is all it needs.
void hr_encoder_prefill(float *out, size_t out_stride, const float *bias, const float *residual,
                        size_t residual_stride, size_t rows, size_t columns) {
    for (size_t r = 0; r < rows; r++) {
        float *o = out + r * out_stride;
        if (residual) {
            const float *x = residual + r * residual_stride;
            for (size_t c = 0; c < columns; c++) o[c] = bias[c] + x[c];
        } else {
            memcpy(o, bias, columns * sizeof(float));
        }
    }
}

// MARK: - Portable bodies (any CPU); the same formulas as the AVX2 ones with libm's erff / expf.

static void gelu_portable(float *x, size_t count) {
    for (size_t i = 0; i < count; i++) {
        float v = x[i];
        x[i] = 0.5f * v * (1.0f + erff(v * 0.70710678118654752f));
    }
}

static void layer_norm_row_portable(const float *x, float *out, const float *gamma, const float *beta,
                                    size_t columns, float epsilon) {
    float sum = 0;
    for (size_t c = 0; c < columns; c++) sum += x[c];
    float mean = sum / (float)columns;
    float squares = 0;
    for (size_t c = 0; c < columns; c++) {
        float d = x[c] - mean;
        squares += d * d;
    }
    float inverse = 1.0f / sqrtf(squares / (float)columns + epsilon);
    for (size_t c = 0; c < columns; c++) out[c] = (x[c] - mean) * inverse * gamma[c] + beta[c];
}

static void attention_portable(const float *q, size_t q_stride, const float *k, const float *v,
                               size_t kv_stride, size_t length, size_t query_rows, size_t heads,
                               size_t d, float scale, float *scratch, float *context,
                               size_t context_stride) {
    float *s = scratch;
    for (size_t h = 0; h < heads; h++) {
        for (size_t i = 0; i < query_rows; i++) {
            const float *qi = q + i * q_stride + h * d;
            float maximum = -INFINITY;
            for (size_t j = 0; j < length; j++) {
                const float *kj = k + j * kv_stride + h * d;
                float dot = 0;
                for (size_t c = 0; c < d; c++) dot += qi[c] * kj[c];
                s[j] = dot * scale;
                if (s[j] > maximum) maximum = s[j];
            }
            float sum = 0;
            for (size_t j = 0; j < length; j++) {
                s[j] = expf(s[j] - maximum);
                sum += s[j];
            }
            float inverse = 1.0f / sum;
            float *out = context + i * context_stride + h * d;
            for (size_t c = 0; c < d; c++) out[c] = 0;
            for (size_t j = 0; j < length; j++) {
                const float *vj = v + j * kv_stride + h * d;
                for (size_t c = 0; c < d; c++) out[c] += s[j] * vj[c];
            }
            for (size_t c = 0; c < d; c++) out[c] *= inverse;
        }
    }
}

// MARK: - AVX2 + FMA bodies.

#if defined(__x86_64__)
#include <immintrin.h>

#define HR_AVX2 __attribute__((target("avx2,fma")))

HR_AVX2 static inline float hsum256(__m256 v) {
    __m128 x = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    x = _mm_add_ps(x, _mm_movehl_ps(x, x));
    x = _mm_add_ss(x, _mm_movehdup_ps(x));
    return _mm_cvtss_f32(x);
}

HR_AVX2 static inline float hmax256(__m256 v) {
    __m128 x = _mm_max_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    x = _mm_max_ps(x, _mm_movehl_ps(x, x));
    x = _mm_max_ss(x, _mm_movehdup_ps(x));
    return _mm_cvtss_f32(x);
}

/// exp(x) for x ≤ 0 (and −∞ → 0): Cephes' range reduction and degree-6 polynomial, relative error
/// about 1e-7; inputs below −87 give 0 like expf.
HR_AVX2 static inline __m256 exp_nonpositive8(__m256 input) {
    const __m256 magic = _mm256_set1_ps(12582912.0f);  // 1.5·2^23: rounds to an integer
    __m256 x = _mm256_max_ps(input, _mm256_set1_ps(-87.0f));
    __m256 shifted = _mm256_fmadd_ps(x, _mm256_set1_ps(1.44269504088896341f), magic);
    __m256 n = _mm256_sub_ps(shifted, magic);
    __m256 r = _mm256_fnmadd_ps(n, _mm256_set1_ps(0.693359375f), x);
    r = _mm256_fnmadd_ps(n, _mm256_set1_ps(-2.12194440e-4f), r);
    __m256 r2 = _mm256_mul_ps(r, r);
    __m256 y = _mm256_set1_ps(1.9875691500e-4f);
    y = _mm256_fmadd_ps(y, r, _mm256_set1_ps(1.3981999507e-3f));
    y = _mm256_fmadd_ps(y, r, _mm256_set1_ps(8.3334519073e-3f));
    y = _mm256_fmadd_ps(y, r, _mm256_set1_ps(4.1665795894e-2f));
    y = _mm256_fmadd_ps(y, r, _mm256_set1_ps(1.6666665459e-1f));
    y = _mm256_fmadd_ps(y, r, _mm256_set1_ps(5.0000001201e-1f));
    y = _mm256_fmadd_ps(y, r2, _mm256_add_ps(r, _mm256_set1_ps(1.0f)));
    __m256i exponent = _mm256_add_epi32(_mm256_sub_epi32(_mm256_castps_si256(shifted), _mm256_set1_epi32(0x4B400000)),
                                        _mm256_set1_epi32(127));
    __m256 result = _mm256_mul_ps(y, _mm256_castsi256_ps(_mm256_slli_epi32(exponent, 23)));
    return _mm256_and_ps(result, _mm256_cmp_ps(input, _mm256_set1_ps(-87.0f), _CMP_GE_OQ));
}

/// erf(x): the Eigen/XLA rational approximation, clamped to ±4 where erf is ±1 in single precision.
HR_AVX2 static inline __m256 erf8(__m256 input) {
    __m256 x = _mm256_min_ps(_mm256_max_ps(input, _mm256_set1_ps(-4.0f)), _mm256_set1_ps(4.0f));
    __m256 x2 = _mm256_mul_ps(x, x);
    __m256 p = _mm256_set1_ps(-2.72614225801306e-10f);
    p = _mm256_fmadd_ps(p, x2, _mm256_set1_ps(2.77068142495902e-08f));
    p = _mm256_fmadd_ps(p, x2, _mm256_set1_ps(-2.10102402082508e-06f));
    p = _mm256_fmadd_ps(p, x2, _mm256_set1_ps(-5.69250639462346e-05f));
    p = _mm256_fmadd_ps(p, x2, _mm256_set1_ps(-7.34990630326855e-04f));
    p = _mm256_fmadd_ps(p, x2, _mm256_set1_ps(-2.95459980854025e-03f));
    p = _mm256_fmadd_ps(p, x2, _mm256_set1_ps(-1.60960333262415e-02f));
    p = _mm256_mul_ps(p, x);
    __m256 q = _mm256_set1_ps(-1.45660718464996e-05f);
    q = _mm256_fmadd_ps(q, x2, _mm256_set1_ps(-2.13374055278905e-04f));
    q = _mm256_fmadd_ps(q, x2, _mm256_set1_ps(-1.68282697438203e-03f));
    q = _mm256_fmadd_ps(q, x2, _mm256_set1_ps(-7.37332916720468e-03f));
    q = _mm256_fmadd_ps(q, x2, _mm256_set1_ps(-1.42647390514189e-02f));
    return _mm256_div_ps(p, q);
}

HR_AVX2 static void gelu_avx2(float *x, size_t count) {
    const __m256 half = _mm256_set1_ps(0.5f), one = _mm256_set1_ps(1.0f);
    const __m256 root = _mm256_set1_ps(0.70710678118654752f);
    size_t i = 0;
    for (; i + 8 <= count; i += 8) {
        __m256 v = _mm256_loadu_ps(x + i);
        __m256 e = erf8(_mm256_mul_ps(v, root));
        _mm256_storeu_ps(x + i, _mm256_mul_ps(_mm256_mul_ps(half, v), _mm256_add_ps(one, e)));
    }
    if (i < count) gelu_portable(x + i, count - i);
}

HR_AVX2 static void layer_norm_avx2(const float *x, float *out, const float *gamma, const float *beta,
                                    size_t rows, size_t columns, float epsilon) {
    for (size_t r = 0; r < rows; r++) {
        const float *xr = x + r * columns;
        float *o = out + r * columns;
        __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps();
        size_t c = 0;
        for (; c + 16 <= columns; c += 16) {
            s0 = _mm256_add_ps(s0, _mm256_loadu_ps(xr + c));
            s1 = _mm256_add_ps(s1, _mm256_loadu_ps(xr + c + 8));
        }
        for (; c + 8 <= columns; c += 8) s0 = _mm256_add_ps(s0, _mm256_loadu_ps(xr + c));
        float sum = hsum256(_mm256_add_ps(s0, s1));
        for (; c < columns; c++) sum += xr[c];
        float mean = sum / (float)columns;
        __m256 m = _mm256_set1_ps(mean);
        s0 = _mm256_setzero_ps();
        s1 = _mm256_setzero_ps();
        c = 0;
        for (; c + 16 <= columns; c += 16) {
            __m256 d0 = _mm256_sub_ps(_mm256_loadu_ps(xr + c), m);
            __m256 d1 = _mm256_sub_ps(_mm256_loadu_ps(xr + c + 8), m);
            s0 = _mm256_fmadd_ps(d0, d0, s0);
            s1 = _mm256_fmadd_ps(d1, d1, s1);
        }
        for (; c + 8 <= columns; c += 8) {
            __m256 d0 = _mm256_sub_ps(_mm256_loadu_ps(xr + c), m);
            s0 = _mm256_fmadd_ps(d0, d0, s0);
        }
        float squares = hsum256(_mm256_add_ps(s0, s1));
        for (; c < columns; c++) squares += (xr[c] - mean) * (xr[c] - mean);
        float inverse = 1.0f / sqrtf(squares / (float)columns + epsilon);
        __m256 inv = _mm256_set1_ps(inverse);
        c = 0;
        for (; c + 8 <= columns; c += 8) {
            __m256 d = _mm256_mul_ps(_mm256_sub_ps(_mm256_loadu_ps(xr + c), m), inv);
            _mm256_storeu_ps(o + c, _mm256_fmadd_ps(d, _mm256_loadu_ps(gamma + c), _mm256_loadu_ps(beta + c)));
        }
        for (; c < columns; c++) o[c] = (xr[c] - mean) * inverse * gamma[c] + beta[c];
    }
}

/// Transposes the keys of all heads at once, 8 keys × 8 columns per step in registers:
/// kt[c][j] = k[j][c] for c < heads·d and j < length, zero for length ≤ j < lp.
HR_AVX2 static void transpose_keys_avx2(const float *k, size_t kv_stride, size_t length, size_t columns,
                                        size_t lp, float *kt) {
    const __m256 zero = _mm256_setzero_ps();
    for (size_t jb = 0; jb < lp; jb += 8) {
        for (size_t cb = 0; cb < columns; cb += 8) {
            __m256 r[8];
            for (size_t t = 0; t < 8; t++)
                r[t] = jb + t < length ? _mm256_loadu_ps(k + (jb + t) * kv_stride + cb) : zero;
            __m256 t0 = _mm256_unpacklo_ps(r[0], r[1]), t1 = _mm256_unpackhi_ps(r[0], r[1]);
            __m256 t2 = _mm256_unpacklo_ps(r[2], r[3]), t3 = _mm256_unpackhi_ps(r[2], r[3]);
            __m256 t4 = _mm256_unpacklo_ps(r[4], r[5]), t5 = _mm256_unpackhi_ps(r[4], r[5]);
            __m256 t6 = _mm256_unpacklo_ps(r[6], r[7]), t7 = _mm256_unpackhi_ps(r[6], r[7]);
            __m256 u0 = _mm256_shuffle_ps(t0, t2, _MM_SHUFFLE(1, 0, 1, 0)), u1 = _mm256_shuffle_ps(t0, t2, _MM_SHUFFLE(3, 2, 3, 2));
            __m256 u2 = _mm256_shuffle_ps(t1, t3, _MM_SHUFFLE(1, 0, 1, 0)), u3 = _mm256_shuffle_ps(t1, t3, _MM_SHUFFLE(3, 2, 3, 2));
            __m256 u4 = _mm256_shuffle_ps(t4, t6, _MM_SHUFFLE(1, 0, 1, 0)), u5 = _mm256_shuffle_ps(t4, t6, _MM_SHUFFLE(3, 2, 3, 2));
            __m256 u6 = _mm256_shuffle_ps(t5, t7, _MM_SHUFFLE(1, 0, 1, 0)), u7 = _mm256_shuffle_ps(t5, t7, _MM_SHUFFLE(3, 2, 3, 2));
            float *out = kt + cb * lp + jb;
            _mm256_storeu_ps(out + 0 * lp, _mm256_permute2f128_ps(u0, u4, 0x20));
            _mm256_storeu_ps(out + 1 * lp, _mm256_permute2f128_ps(u1, u5, 0x20));
            _mm256_storeu_ps(out + 2 * lp, _mm256_permute2f128_ps(u2, u6, 0x20));
            _mm256_storeu_ps(out + 3 * lp, _mm256_permute2f128_ps(u3, u7, 0x20));
            _mm256_storeu_ps(out + 4 * lp, _mm256_permute2f128_ps(u0, u4, 0x31));
            _mm256_storeu_ps(out + 5 * lp, _mm256_permute2f128_ps(u1, u5, 0x31));
            _mm256_storeu_ps(out + 6 * lp, _mm256_permute2f128_ps(u2, u6, 0x31));
            _mm256_storeu_ps(out + 7 * lp, _mm256_permute2f128_ps(u3, u7, 0x31));
        }
    }
}

/// 32 consecutive float sums in four AVX registers. The attention loops keep two of them (even
/// and odd steps: eight independent FMA chains) and add the pair once at the end.
struct span32 {
    __m256 lanes[4];
};

HR_AVX2 static inline struct span32 span32_zero(void) {
    struct span32 zero = {{_mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps()}};
    return zero;
}

/// sums + x · row[0..32).
HR_AVX2 static inline struct span32 span32_fmadd(__m256 x, const float *row, struct span32 sums) {
    for (int u = 0; u < 4; u++) sums.lanes[u] = _mm256_fmadd_ps(x, _mm256_loadu_ps(row + 8 * u), sums.lanes[u]);
    return sums;
}

/// out[0..32) = (a + b) · factor.
HR_AVX2 static inline void span32_store_sum(float *out, struct span32 a, struct span32 b, __m256 factor) {
    for (int u = 0; u < 4; u++) _mm256_storeu_ps(out + 8 * u, _mm256_mul_ps(_mm256_add_ps(a.lanes[u], b.lanes[u]), factor));
}

/// Attention with d a multiple of 8. Kᵀ of all heads is built once per sequence in `scratch`
/// ([heads·d][Lp], Lp = the length rounded up to 8, zero-padded, by 8×8 register transposes), so
/// each query's scores are FMAs of a broadcast q value against contiguous rows of Kᵀ, with no
/// horizontal sums; the padded scores are set to −∞ and the vector softmax gives them weight 0.
HR_AVX2 static void attention_avx2(const float *q, size_t q_stride, const float *k, const float *v,
                                   size_t kv_stride, size_t length, size_t query_rows, size_t heads,
                                   size_t d, float scale, float *scratch, float *context,
                                   size_t context_stride) {
    const size_t lp = round_up8(length);
    float *s = scratch + heads * d * lp;
    const __m256 negative_infinity = _mm256_set1_ps(-INFINITY);
    transpose_keys_avx2(k, kv_stride, length, heads * d, lp, scratch);
    for (size_t h = 0; h < heads; h++) {
        const float *kt = scratch + h * d * lp;
        for (size_t i = 0; i < query_rows; i++) {
            const float *qi = q + i * q_stride + h * d;
            // Scores: four blocks of 8 keys at a time, c split even/odd for 8 independent chains.
            size_t jb = 0;
            for (; jb + 32 <= lp; jb += 32) {
                struct span32 a = span32_zero(), b = span32_zero();
                for (size_t c = 0; c < d; c += 2) {
                    const float *r0 = kt + c * lp + jb;
                    a = span32_fmadd(_mm256_set1_ps(qi[c]), r0, a);
                    b = span32_fmadd(_mm256_set1_ps(qi[c + 1]), r0 + lp, b);
                }
                span32_store_sum(s + jb, a, b, _mm256_set1_ps(scale));
            }
            for (; jb < lp; jb += 8) {
                __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps(), a2 = _mm256_setzero_ps(), a3 = _mm256_setzero_ps();
                for (size_t c = 0; c < d; c += 4) {  // d is a multiple of 8 here
                    const float *r0 = kt + c * lp + jb;
                    a0 = _mm256_fmadd_ps(_mm256_set1_ps(qi[c]), _mm256_loadu_ps(r0), a0);
                    a1 = _mm256_fmadd_ps(_mm256_set1_ps(qi[c + 1]), _mm256_loadu_ps(r0 + lp), a1);
                    a2 = _mm256_fmadd_ps(_mm256_set1_ps(qi[c + 2]), _mm256_loadu_ps(r0 + 2 * lp), a2);
                    a3 = _mm256_fmadd_ps(_mm256_set1_ps(qi[c + 3]), _mm256_loadu_ps(r0 + 3 * lp), a3);
                }
                __m256 sum = _mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3));
                _mm256_storeu_ps(s + jb, _mm256_mul_ps(sum, _mm256_set1_ps(scale)));
            }
            for (size_t j = length; j < lp; j++) s[j] = -INFINITY;

            // Softmax without the final division: the context is scaled by 1/Σ once at the end.
            __m256 mx = negative_infinity;
            for (size_t j = 0; j < lp; j += 8) mx = _mm256_max_ps(mx, _mm256_loadu_ps(s + j));
            const __m256 maximum = _mm256_set1_ps(hmax256(mx));
            __m256 total = _mm256_setzero_ps();
            for (size_t j = 0; j < lp; j += 8) {
                __m256 e = exp_nonpositive8(_mm256_sub_ps(_mm256_loadu_ps(s + j), maximum));
                _mm256_storeu_ps(s + j, e);
                total = _mm256_add_ps(total, e);
            }
            const __m256 inverse = _mm256_set1_ps(1.0f / hsum256(total));

            // Context: Σ_j p_j · v_j over the head's d columns, 4 vectors at a time, j split even/odd.
            float *out = context + i * context_stride + h * d;
            for (size_t cb = 0; cb < d; cb += 32) {
                if (cb + 32 <= d) {
                    struct span32 a = span32_zero(), b = span32_zero();
                    size_t j = 0;
                    for (; j + 2 <= length; j += 2) {
                        const float *v0 = v + j * kv_stride + h * d + cb;
                        a = span32_fmadd(_mm256_set1_ps(s[j]), v0, a);
                        b = span32_fmadd(_mm256_set1_ps(s[j + 1]), v0 + kv_stride, b);
                    }
                    if (j < length) a = span32_fmadd(_mm256_set1_ps(s[j]), v + j * kv_stride + h * d + cb, a);
                    span32_store_sum(out + cb, a, b, inverse);
                } else {
                    for (size_t c8 = cb; c8 < d; c8 += 8) {
                        __m256 a0 = _mm256_setzero_ps();
                        for (size_t j = 0; j < length; j++)
                            a0 = _mm256_fmadd_ps(_mm256_set1_ps(s[j]), _mm256_loadu_ps(v + j * kv_stride + h * d + c8), a0);
                        _mm256_storeu_ps(out + c8, _mm256_mul_ps(a0, inverse));
                    }
                }
            }
        }
    }
}

static int has_avx2_fma(void) {
    static int cached = -1;
    if (cached < 0) cached = (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) ? 1 : 0;
    return cached;
}
#else
static int has_avx2_fma(void) { return 0; }
#endif

// MARK: - Dispatch.


void hr_encoder_gelu(float *x, size_t count) {
#if defined(__x86_64__)
    if (has_avx2_fma()) {
        gelu_avx2(x, count);
        return;
    }
#endif
    gelu_portable(x, count);
}

void hr_encoder_layer_norm(const float *x, float *out, const float *gamma, const float *beta,
                           size_t rows, size_t columns, float epsilon) {
#if defined(__x86_64__)
    if (has_avx2_fma()) {
        layer_norm_avx2(x, out, gamma, beta, rows, columns, epsilon);
        return;
    }
#endif
    for (size_t r = 0; r < rows; r++)
        layer_norm_row_portable(x + r * columns, out + r * columns, gamma, beta, columns, epsilon);
}

void hr_encoder_attention(const float *q, size_t q_stride, const float *k, const float *v,
                          size_t kv_stride, size_t length, size_t query_rows, size_t heads,
                          size_t head_size, float scale, float *scratch, float *context,
                          size_t context_stride) {
    if (length == 0) return;
#if defined(__x86_64__)
    if (has_avx2_fma() && head_size % 8 == 0) {
        attention_avx2(q, q_stride, k, v, kv_stride, length, query_rows, heads, head_size, scale,
                       scratch, context, context_stride);
        return;
    }
#endif
    attention_portable(q, q_stride, k, v, kv_stride, length, query_rows, heads, head_size, scale,
                       scratch, context, context_stride);
}
