#include "CVectorKernels.h"

#if defined(__x86_64__)
#include <immintrin.h>

__attribute__((target("avx2")))
static void int8_dot_rows_avx2(const int8_t *codes, size_t rows, size_t dim, size_t stride,
                               const int16_t *query, int32_t *out) {
    const size_t body = dim & ~(size_t)15;
    for (size_t r = 0; r < rows; r++) {
        const int8_t *row = codes + r * stride;
        __m256i acc0 = _mm256_setzero_si256();
        __m256i acc1 = _mm256_setzero_si256();
        size_t i = 0;
        for (; i + 32 <= body; i += 32) {
            __m256i x0 = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(row + i)));
            __m256i x1 = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(row + i + 16)));
            acc0 = _mm256_add_epi32(acc0, _mm256_madd_epi16(x0, _mm256_loadu_si256((const __m256i *)(query + i))));
            acc1 = _mm256_add_epi32(acc1, _mm256_madd_epi16(x1, _mm256_loadu_si256((const __m256i *)(query + i + 16))));
        }
        for (; i < body; i += 16) {
            __m256i x0 = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(row + i)));
            acc0 = _mm256_add_epi32(acc0, _mm256_madd_epi16(x0, _mm256_loadu_si256((const __m256i *)(query + i))));
        }
        __m256i acc = _mm256_add_epi32(acc0, acc1);
        __m128i sum = _mm_add_epi32(_mm256_castsi256_si128(acc), _mm256_extracti128_si256(acc, 1));
        sum = _mm_add_epi32(sum, _mm_shuffle_epi32(sum, _MM_SHUFFLE(1, 0, 3, 2)));
        sum = _mm_add_epi32(sum, _mm_shuffle_epi32(sum, _MM_SHUFFLE(2, 3, 0, 1)));
        int32_t total = _mm_cvtsi128_si32(sum);
        for (; i < dim; i++) total += (int32_t)row[i] * (int32_t)query[i];
        out[r] = total;
    }
}
#endif

static void int8_dot_rows_portable(const int8_t *codes, size_t rows, size_t dim, size_t stride,
                                   const int16_t *query, int32_t *out) {
    for (size_t r = 0; r < rows; r++) {
        const int8_t *row = codes + r * stride;
        int32_t total = 0;
        for (size_t i = 0; i < dim; i++) total += (int32_t)row[i] * (int32_t)query[i];
        out[r] = total;
    }
}

void hr_int8_dot_rows(const int8_t *codes, size_t rows, size_t dim, size_t stride,
                      const int16_t *query, int32_t *out) {
#if defined(__x86_64__)
    static int has_avx2 = -1;
    if (has_avx2 < 0) has_avx2 = __builtin_cpu_supports("avx2") ? 1 : 0;
    if (has_avx2) {
        int8_dot_rows_avx2(codes, rows, dim, stride, query, out);
        return;
    }
#endif
    int8_dot_rows_portable(codes, rows, dim, stride, query, out);
}
