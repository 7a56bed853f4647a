/* Samplers of the learned partition search (multivariate paper Eq. 7-9).
 *
 * Partitions of the m ordered players of A are written as gaps g[m - 1]: g[k] = 1 when
 * the k-th and the (k+1)-th player of A share a coalition. Eq. 8 samples g ~ Bernoulli(p):
 *   g[s][k] = [ u(seed, stream0 + s, k) < p[k] ],  u = ip_random_uniform.
 * Two calls with the same (seed, stream0) and different p use the same uniforms (common
 * random numbers between the maximising and the minimising search).
 *
 * Eq. 7 samples the contexts S of phi(C | N_C): a size r uniform in {0, ..., R} and then
 * S uniform among the r-subsets of the R players `rest` = N \ A. Context t uses stream
 * stream0 + t: counter 0 draws r (or, when `stratified`, r_t = (o + t) mod (R + 1) with one
 * offset o drawn at counter 0 of stream0, so the sizes sweep the strata evenly and every
 * r_t is still uniform on its own), counters 1..r draw S by Floyd's algorithm.
 *
 * Packed masks: a coalition of n players is `words = (n + 63) / 64` uint64 words, bit j of
 * word w is player 64 w + j; context t occupies masks[t * words .. t * words + words - 1].
 * Every number is a pure function of (seed, stream, counter): identical on CPU and GPU and
 * independent of the thread layout.
 */
#ifndef INTERPLAY_PARTITION_SAMPLING_H
#define INTERPLAY_PARTITION_SAMPLING_H

#include <stdint.h>
#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Words of a packed mask of n players. */
static inline int ip_mask_words(int n) { return (n + 63) / 64; }

/* g[s * gaps + k] <- Bernoulli(p[k]) for s < count, k < gaps. p finite in [0, 1];
 * gaps >= 1; count >= 0. */
ip_status ip_mv_sample_partitions(const double *p, int gaps, int64_t count, uint64_t seed, uint64_t stream0,
                                  uint8_t *g);

/* masks[count * ip_mask_words(n)] <- `count` contexts of Eq. 7 over the players rest[r_count]
 * (distinct, in [0, n)); n >= 1, 0 <= r_count <= n, count >= 0. */
ip_status ip_mv_sample_contexts(int n, const int *rest, int r_count, int64_t count, int stratified, uint64_t seed,
                                uint64_t stream0, uint64_t *masks);

#ifdef __cplusplus
}
#endif

#endif
