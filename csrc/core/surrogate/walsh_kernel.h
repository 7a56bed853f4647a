/* The covariance matrix of a Gaussian prior on a game's Walsh coefficients that depends on two
 * coalitions only through the number of players they disagree on (the Gaussian process estimator,
 * python/interplay/estimators/_walsh.py):
 *
 *     out[i, j] = table[|a_i Δ b_j|],   i < na, j < nb,
 *
 * or its product with a vector of weights [nb], out[i] = Σ_j table[|a_i Δ b_j|] weights[j] (the
 * posterior mean at many coalitions without the [na, nb] matrix),
 *
 * for packed player sets a [na, words] and b [nb, words] (row-major uint64 words, bit p = player p,
 * as ip_combinations writes them) and table [n + 1] (the covariance at distance 0..n).
 *
 * Invariant: every set is a subset of {0, ..., n-1} with 0 <= n <= 64 words, so every distance
 * indexes the table. ip_walsh_kernel_check establishes it; ip_walsh_kernel_rows assumes it.
 */
#ifndef INTERPLAY_SURROGATE_WALSH_KERNEL_H
#define INTERPLAY_SURROGATE_WALSH_KERNEL_H

#include <stdint.h>

#include "common/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* IP_OK when words >= 1, 0 <= n <= 64 words, na, nb >= 0, and no set of a or b holds a player >= n
 * (IP_ERR_RANGE naming "a" or "b" and the first such row). a (b) may be NULL only when na (nb) is 0. */
ip_status ip_walsh_kernel_check(const uint64_t *a, int64_t na, const uint64_t *b, int64_t nb, int64_t words,
                                int64_t n, ip_error *err);

/* out[i, j] <- table[|a_i Δ b_j|] for the rows i < rows of a (out: [rows, nb], row-major).
 * Requires the invariant above (callers split a's rows over threads). */
void ip_walsh_kernel_rows(const uint64_t *a, int64_t rows, const uint64_t *b, int64_t nb, int64_t words,
                          const double *table, double *out);

/* out[i] <- Σ_j table[|a_i Δ b_j|] weights[j] for the rows i < rows of a (out: [rows]; weights: [nb]),
 * summed in four partial sums over j mod 4, added as (s0 + s1) + (s2 + s3): the same bits for the
 * same inputs, whatever the split of a's rows. Requires the invariant above. */
void ip_walsh_kernel_product_rows(const uint64_t *a, int64_t rows, const uint64_t *b, int64_t nb, int64_t words,
                                  const double *table, const double *weights, double *out);

#ifdef __cplusplus
}
#endif

#endif
