/* Row kernels of the masked-evaluation engine, shared verbatim by the C (OpenMP) and the
 * CUDA implementations so that one seed gives bit-identical coalitions on both.
 *
 * A coalition is a packed player set (common/player_set.h). Every random draw is
 * ip_random_*(seed, stream, counter) (common/counter_rng.h): counter 0 draws the size or the rate
 * of a context, counter 1 + p the decision for player p, so a row depends only on (seed, stream)
 * and never on the order rows are made.
 *
 * Arithmetic that feeds a comparison uses ip_fmul / ip_fadd, which are correctly rounded and
 * never fused into an FMA on the GPU, so CPU and GPU compare the same doubles.
 */
#ifndef INTERPLAY_ENGINE_ENGINE_ROWS_H
#define INTERPLAY_ENGINE_ENGINE_ROWS_H

#include <stdbool.h>
#include <stdint.h>

#include "common/counter_rng.h"
#include "common/player_set.h"
#include "common/subset_sampling.h"

/* How a context S is drawn from the players that are available to it. */
typedef enum {
    IP_LAW_SIZE = 0, /* |S| uniform in [size_lo, size_hi], then S uniform among sets of that size */
    IP_LAW_RATE = 1  /* rate uniform in [rate_lo, rate_hi], then each player present with that rate */
} ip_context_law;

static inline IP_HOST_DEVICE double ip_fmul(double a, double b) {
#if defined(__CUDA_ARCH__)
    return __dmul_rn(a, b);
#else
    return a * b;
#endif
}

static inline IP_HOST_DEVICE double ip_fadd(double a, double b) {
#if defined(__CUDA_ARCH__)
    return __dadd_rn(a, b);
#else
    return a + b;
#endif
}

/* One context row: zeroes out[words] and draws S from the available players with the law.
 * IP_LAW_SIZE: requires 0 <= size_lo <= size_hi <= m. IP_LAW_RATE: 0 <= rate_lo <= rate_hi <= 1.
 * Returns |S|. */
static inline IP_HOST_DEVICE int64_t ip_context_row(ip_context_law law, uint64_t seed, uint64_t stream, int64_t n,
                                                    const uint64_t *excluded, int64_t ei, int64_t ej, int64_t size_lo,
                                                    int64_t size_hi, double rate_lo, double rate_hi, uint64_t *out,
                                                    int64_t words) {
    ip_row_zero(out, words);
    if (law == IP_LAW_SIZE) {
        const int64_t m = ip_available_count(n, excluded, ei, ej);
        const int64_t size = size_lo + (int64_t)ip_random_below(seed, stream, 0, (uint64_t)(size_hi - size_lo + 1));
        ip_subset_of_size(seed, stream, n, excluded, ei, ej, m, size, out);
        return size;
    }
    const double rate = ip_fadd(rate_lo, ip_fmul(rate_hi - rate_lo, ip_random_uniform(seed, stream, 0)));
    int64_t size = 0;
    for (int64_t p = 0; p < n; ++p) {
        if (ip_available(excluded, ei, ej, p) && ip_random_uniform(seed, stream, (uint64_t)(1 + p)) < rate) {
            ip_row_set(out, p);
            ++size;
        }
    }
    return size;
}

/* A uniformly random permutation of 0..n-1 (Fisher-Yates; draw t picks the entry of position t). */
static inline IP_HOST_DEVICE void ip_permutation_row(uint64_t seed, uint64_t stream, int64_t n, int64_t *perm) {
    for (int64_t p = 0; p < n; ++p) perm[p] = p;
    for (int64_t t = n - 1; t > 0; --t) {
        const int64_t r = (int64_t)ip_random_below(seed, stream, (uint64_t)t, (uint64_t)(t + 1));
        const int64_t tmp = perm[t];
        perm[t] = perm[r];
        perm[r] = tmp;
    }
}

/* Whether input element d is present in coalition row: its player is -1 (always present) or set. */
static inline IP_HOST_DEVICE bool ip_element_present(const int64_t *player_map, int64_t d, const uint64_t *row) {
    const int64_t p = player_map[d];
    return p < 0 || ip_row_bit(row, p);
}

#endif
