/* All t-subsets of n players in lexicographic order, as packed masks (the exact border strata of
 * the shared pair design, python/interplay/sampling.py).
 *
 * The subsets {c_0 < c_1 < ... < c_{t-1}} of {0, ..., n-1} are ranked lexicographically by their
 * sorted elements (rank 0 is {0, ..., t-1}); ip_combinations writes the subsets of ranks
 * rank0 .. rank0 + count - 1, one packed row of ceil(n/64) uint64 words each (bit p = player p,
 * bits >= n clear), so a caller can enumerate C(n, t) subsets in chunks of any size.
 */
#ifndef INTERPLAY_ENGINE_COMBINATIONS_H
#define INTERPLAY_ENGINE_COMBINATIONS_H

#include <stdint.h>

#include "common/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* C(n, t) in *out; IP_ERR_TOO_LARGE if it exceeds INT64_MAX, IP_ERR_RANGE unless 0 <= t <= n. */
ip_status ip_combinations_count(int64_t n, int64_t t, int64_t *out, ip_error *err);

/* The checks of ip_combinations, for callers that size the output first. */
ip_status ip_combinations_check(int64_t n, int64_t t, int64_t rank0, int64_t count, ip_error *err);

/* masks [count, ceil(n/64)] <- the t-subsets of ranks rank0 .. rank0 + count - 1.
 * Requires n >= 1, 0 <= t <= n, rank0 >= 0, count >= 0, rank0 + count <= C(n, t). */
ip_status ip_combinations(int64_t n, int64_t t, int64_t rank0, int64_t count, uint64_t *masks, ip_error *err);

#ifdef __cplusplus
}
#endif

#endif
