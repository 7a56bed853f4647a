/* Coalition samplers over a counter-based RNG (engine_rows.h, counter_rng.h).
 *
 * Row k of every sampler uses stream = stream0 + k and depends on nothing else, so a block of
 * rows can be drawn in any order, chunked in any way, on the CPU or (csrc/cuda) on the GPU, and
 * gives the same bits for the same seed.
 */
#ifndef INTERPLAY_SAMPLING_H
#define INTERPLAY_SAMPLING_H

#include <stdint.h>

#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Context rows out[count, ip_mask_words(n)]: row k is a context S drawn from the players that
 * are not in excluded[k] (a packed row of `excluded` [count, words], or all players when NULL)
 * and are not pair[k, 0], pair[k, 1] (pairs [count, 2], entries -1 = none; NULL = none), with
 *   law IP_LAW_SIZE: |S| uniform in [size_lo, size_hi] clipped to the m available players,
 *                    then uniform among the sets of that size. size_lo <= m is required;
 *                    size_lo = 0, size_hi >= m gives P_Shapley(S | available) (dropout paper Eq. 1).
 *   law IP_LAW_RATE: a rate uniform in [rate_lo, rate_hi] ⊆ [0, 1], each available player present
 *                    with that rate (rate 1/2: Banzhaf; rate uniform in [0, 1]: P_Shapley again).
 * sizes[count] (may be NULL) receives |S|. */
ip_status ip_sample_contexts(int law, uint64_t seed, int64_t stream0, int64_t count, int64_t n,
                             const uint64_t *excluded, const int64_t *pairs, int64_t size_lo, int64_t size_hi,
                             double rate_lo, double rate_hi, uint64_t *out, int64_t *sizes);

/* Permutations perm[count, n] of 0..n-1, uniform (Castro et al. 2009 sampling). */
ip_status ip_sample_permutations(uint64_t seed, int64_t stream0, int64_t count, int64_t n, int64_t *perm);

/* Checks the arguments of ip_sample_contexts that do not depend on the rows. */
ip_status ip_check_context_law(int law, int64_t n, int64_t size_lo, int64_t size_hi, double rate_lo, double rate_hi);

#ifdef __cplusplus
}
#endif

#endif
