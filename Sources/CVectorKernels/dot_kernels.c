#include "CVectorKernels.h"

/* fp32 dot products: portable C, AVX2 + FMA, AVX-512F; the best one the CPU has is chosen once. */

static float dot_portable(const float *a, const float *b, size_t n) {
    float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        s0 += a[i] * b[i];
        s1 += a[i + 1] * b[i + 1];
        s2 += a[i + 2] * b[i + 2];
        s3 += a[i + 3] * b[i + 3];
    }
    for (; i < n; i++) s0 += a[i] * b[i];
    return (s0 + s1) + (s2 + s3);
}

#if defined(__x86_64__)
#include <immintrin.h>

__attribute__((target("avx2,fma")))
static float dot_avx2(const float *a, const float *b, size_t n) {
    __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();
    __m256 acc2 = _mm256_setzero_ps(), acc3 = _mm256_setzero_ps();
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        acc0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), acc0);
        acc1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 8), _mm256_loadu_ps(b + i + 8), acc1);
        acc2 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 16), _mm256_loadu_ps(b + i + 16), acc2);
        acc3 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 24), _mm256_loadu_ps(b + i + 24), acc3);
    }
    for (; i + 8 <= n; i += 8) acc0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), acc0);
    __m256 acc = _mm256_add_ps(_mm256_add_ps(acc0, acc1), _mm256_add_ps(acc2, acc3));
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(acc), _mm256_extractf128_ps(acc, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_shuffle_ps(s, s, 1));
    float total = _mm_cvtss_f32(s);
    for (; i < n; i++) total += a[i] * b[i];
    return total;
}

__attribute__((target("avx512f")))
static float dot_avx512(const float *a, const float *b, size_t n) {
    __m512 acc0 = _mm512_setzero_ps(), acc1 = _mm512_setzero_ps();
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        acc0 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i), acc0);
        acc1 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i + 16), _mm512_loadu_ps(b + i + 16), acc1);
    }
    for (; i + 16 <= n; i += 16) acc0 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i), acc0);
    if (i < n) {
        __mmask16 mask = (__mmask16)((1u << (n - i)) - 1);
        acc1 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(mask, a + i), _mm512_maskz_loadu_ps(mask, b + i), acc1);
    }
    return _mm512_reduce_add_ps(_mm512_add_ps(acc0, acc1));
}
#endif

unsigned hr_kernel_paths_available(void) {
    unsigned paths = 1u << HR_KERNEL_PORTABLE;
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) paths |= 1u << HR_KERNEL_AVX2;
    if (__builtin_cpu_supports("avx512f")) paths |= 1u << HR_KERNEL_AVX512;
#endif
    return paths;
}

typedef float (*dot_fn)(const float *, const float *, size_t);

static dot_fn kernel_for(int path) {
#if defined(__x86_64__)
    if (path == HR_KERNEL_AVX512) return dot_avx512;
    if (path == HR_KERNEL_AVX2) return dot_avx2;
#endif
    (void)path;
    return dot_portable;
}

int hr_kernel_path_selected(void) {
    unsigned paths = hr_kernel_paths_available();
    if (paths & (1u << HR_KERNEL_AVX512)) return HR_KERNEL_AVX512;
    if (paths & (1u << HR_KERNEL_AVX2)) return HR_KERNEL_AVX2;
    return HR_KERNEL_PORTABLE;
}

static dot_fn selected_kernel;

/* Resolved before main: every caller then reads a constant pointer (no once-guard on the hot path). */
__attribute__((constructor)) static void select_kernel(void) { selected_kernel = kernel_for(hr_kernel_path_selected()); }

float hr_dot_f32(const float *a, const float *b, size_t n) { return selected_kernel(a, b, n); }

float hr_dot_f32_path(int path, const float *a, const float *b, size_t n) { return kernel_for(path)(a, b, n); }

/* For hnsw.c: the selected kernel without a call through hr_dot_f32. */
dot_fn hr_internal_dot_kernel(void) {
    if (!selected_kernel) select_kernel();
    return selected_kernel;
}
