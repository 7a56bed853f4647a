#include "sampling.h"

#include "engine_rows.h"

ip_status ip_check_context_law(int law, int64_t n, int64_t size_lo, int64_t size_hi, double rate_lo, double rate_hi) {
    if (n < 1) return IP_ERR_RANGE;
    if (law == IP_LAW_SIZE) return (size_lo < 0 || size_hi < size_lo) ? IP_ERR_ARG : IP_OK;
    if (law == IP_LAW_RATE) {
        if (!(rate_lo == rate_lo) || !(rate_hi == rate_hi)) return IP_ERR_NONFINITE;
        return (rate_lo < 0.0 || rate_hi > 1.0 || rate_hi < rate_lo) ? IP_ERR_ARG : IP_OK;
    }
    return IP_ERR_ARG;
}

ip_status ip_sample_contexts(int law, uint64_t seed, int64_t stream0, int64_t count, int64_t n,
                             const uint64_t *excluded, const int64_t *pairs, int64_t size_lo, int64_t size_hi,
                             double rate_lo, double rate_hi, uint64_t *out, int64_t *sizes) {
    if (out == NULL) return IP_ERR_NULL;
    if (count < 0 || stream0 < 0) return IP_ERR_ARG;
    ip_status st = ip_check_context_law(law, n, size_lo, size_hi, rate_lo, rate_hi);
    if (st != IP_OK) return st;
    const int64_t words = ip_mask_words(n);
    /* Validate every row before drawing any. */
    for (int64_t k = 0; k < count; ++k) {
        const int64_t ei = pairs ? pairs[2 * k] : -1, ej = pairs ? pairs[2 * k + 1] : -1;
        if (ei < -1 || ei >= n || ej < -1 || ej >= n) return IP_ERR_RANGE;
        if (law == IP_LAW_SIZE) {
            const int64_t m = ip_available_count(n, excluded ? excluded + k * words : NULL, ei, ej);
            if (size_lo > m) return IP_ERR_ARG;
        }
    }
#pragma omp parallel for schedule(static) if (count > 64)
    for (int64_t k = 0; k < count; ++k) {
        const uint64_t *ex = excluded ? excluded + k * words : NULL;
        const int64_t ei = pairs ? pairs[2 * k] : -1, ej = pairs ? pairs[2 * k + 1] : -1;
        int64_t hi = size_hi;
        if (law == IP_LAW_SIZE) {
            const int64_t m = ip_available_count(n, ex, ei, ej);
            if (hi > m) hi = m;
        }
        const int64_t s = ip_context_row(law, seed, (uint64_t)(stream0 + k), n, ex, ei, ej, size_lo, hi, rate_lo,
                                         rate_hi, out + k * words, words);
        if (sizes) sizes[k] = s;
    }
    return IP_OK;
}

ip_status ip_sample_permutations(uint64_t seed, int64_t stream0, int64_t count, int64_t n, int64_t *perm) {
    if (perm == NULL) return IP_ERR_NULL;
    if (count < 0 || stream0 < 0) return IP_ERR_ARG;
    if (n < 1) return IP_ERR_RANGE;
#pragma omp parallel for schedule(static) if (count > 64)
    for (int64_t k = 0; k < count; ++k) ip_permutation_row(seed, (uint64_t)(stream0 + k), n, perm + k * n);
    return IP_OK;
}
