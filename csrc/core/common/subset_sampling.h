/* Uniform subsets of a given size, the one sampler of the core (Knuth's Algorithm S, selection
 * sampling): used by the engine's designs (engine/engine_rows.h) and by the contexts of the
 * multivariate paper's Eq. 7 (multivariate/partition_sampling.c). Shared by C and CUDA.
 *
 * Counter convention: the size (or rate) of a context uses counter 0, the decision for player p
 * counter 1 + p, so a row depends only on (seed, stream). */
#ifndef INTERPLAY_COMMON_SUBSET_SAMPLING_H
#define INTERPLAY_COMMON_SUBSET_SAMPLING_H

#include <stdbool.h>
#include <stdint.h>

#include "common/counter_rng.h"
#include "common/player_set.h"

/* Player p may join the context: not in `excluded` (a packed row, or NULL) and not ei or ej. */
static inline IP_HOST_DEVICE bool ip_available(const uint64_t *excluded, int64_t ei, int64_t ej, int64_t p) {
    return p != ei && p != ej && (excluded == 0 || !ip_row_bit(excluded, p));
}

/* The number of available players among 0..n-1. */
static inline IP_HOST_DEVICE int64_t ip_available_count(int64_t n, const uint64_t *excluded, int64_t ei, int64_t ej) {
    int64_t m = 0;
    for (int64_t p = 0; p < n; ++p) m += ip_available(excluded, ei, ej, p) ? 1 : 0;
    return m;
}

/* A uniformly random `size`-subset of the available players: player p is taken with probability
 * need / remaining, drawn exactly in integers. ORs the chosen players into out.
 * Requires 0 <= size <= m = the available count. */
static inline IP_HOST_DEVICE void ip_subset_of_size(uint64_t seed, uint64_t stream, int64_t n, const uint64_t *excluded,
                                                    int64_t ei, int64_t ej, int64_t m, int64_t size, uint64_t *out) {
    int64_t need = size, remaining = m;
    for (int64_t p = 0; p < n && need > 0; ++p) {
        if (!ip_available(excluded, ei, ej, p)) continue;
        if ((int64_t)ip_random_below(seed, stream, (uint64_t)(1 + p), (uint64_t)remaining) < need) {
            ip_row_set(out, p);
            --need;
        }
        --remaining;
    }
}

#endif
