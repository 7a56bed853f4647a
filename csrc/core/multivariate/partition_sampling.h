/* Samplers of the learned partition search (multivariate paper Eq. 7-9).
 *
 * Partitions of the m ordered players of A are written as gaps g[m - 1]: g[k] = 1 when
 * the k-th and the (k+1)-th player of A share a coalition. Eq. 8 samples g ~ Bernoulli(p):
 *   g[s][k] = [ u(seed, stream0 + s, k) < p[k] ],  u = ip_random_uniform.
 * Two calls with the same (seed, stream0) and different p use the same uniforms (common
 * random numbers between the maximising and the minimising search).
 *
 * Eq. 7 samples the contexts S of phi(C | N_C): a size r uniform in {0, ..., R} and then
 * S uniform among the r-subsets of the R players of the packed set `rest` = N \ A. Context t uses
 * stream stream0 + t: counter 0 draws r (or, when `stratified`, r_t = (o + t) mod (R + 1) with one
 * offset o drawn at counter 0 of stream0, so the sizes sweep the strata evenly and every r_t is
 * still uniform on its own); S is then drawn by the core's one subset sampler
 * (common/subset_sampling.h, counters 1 + p), the one the engine's designs use too.
 *
 * Every number is a pure function of (seed, stream, counter): identical on CPU and GPU and
 * independent of the thread layout.
 */
#ifndef INTERPLAY_MULTIVARIATE_PARTITION_SAMPLING_H
#define INTERPLAY_MULTIVARIATE_PARTITION_SAMPLING_H

#include <stdbool.h>
#include <stdint.h>

#include "common/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* g[s * gaps + k] <- Bernoulli(p[k]) for s < count, k < gaps. p finite in [0, 1]; gaps >= 1; count >= 0. */
ip_status ip_mv_sample_partitions(const double *p, int64_t gaps, int64_t count, uint64_t seed, uint64_t stream0,
                                  uint8_t *g, ip_error *err);

/* masks[count, ip_mask_words(n)] <- `count` contexts of Eq. 7 over the players of the packed set
 * rest[ip_mask_words(n)] (bits < n); n >= 1, count >= 0. */
ip_status ip_mv_sample_contexts(int64_t n, const uint64_t *rest, int64_t count, bool stratified, uint64_t seed,
                                uint64_t stream0, uint64_t *masks, ip_error *err);

#ifdef __cplusplus
}
#endif

#endif
