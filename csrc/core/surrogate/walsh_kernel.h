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
 * indexes the table. ip_walsh_kernel_check establishes it; the *_rows functions assume it;
 * ip_walsh_kernel and ip_walsh_kernel_product check it, then split a's rows over OpenMP threads
 * (the team of the calling thread: torch.set_num_threads sets it for the op layer).
 *
 * Every output entry is computed by one thread, in an order that depends on nothing but the inputs:
 * the same bits for the same inputs whatever the number of threads or the split of the rows.
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

/* out[i, j] <- table[|a_i Δ b_j|] for the rows i < rows of a (out: [rows, nb], row-major), serially.
 * Requires the invariant above (ip_walsh_kernel splits a's rows over threads). */
void ip_walsh_kernel_rows(const uint64_t *a, int64_t rows, const uint64_t *b, int64_t nb, int64_t words,
                          const double *table, double *out);

/* out[i] <- Σ_j table[|a_i Δ b_j|] weights[j] for the rows i < rows of a (out: [rows]; weights: [nb]),
 * summed in four partial sums over j mod 4, added as (s0 + s1) + (s2 + s3): the same bits for the
 * same inputs, whatever the split of a's rows. Requires the invariant above. */
void ip_walsh_kernel_product_rows(const uint64_t *a, int64_t rows, const uint64_t *b, int64_t nb, int64_t words,
                                  const double *table, const double *weights, double *out);

/* out[i, j] <- table[|a_i Δ b_j|] for i < na, j < nb (out: [na, nb], row-major), table: [n + 1]: the
 * checks of ip_walsh_kernel_check, na * nb must fit in int64 (IP_ERR_TOO_LARGE naming "a", checked
 * first), and table and out must not be NULL when na * nb > 0 (IP_ERR_NULL); on failure out is
 * untouched. Blocks of rows run on OpenMP threads above IP_OMP_MIN_ELEMENTS entries, each as
 * ip_walsh_kernel_rows. */
ip_status ip_walsh_kernel(const uint64_t *a, int64_t na, const uint64_t *b, int64_t nb, int64_t words,
                          const double *table, int64_t n, double *out, ip_error *err);

/* out[i] <- Σ_j table[|a_i Δ b_j|] weights[j] for i < na (out: [na], weights: [nb]): the checks of
 * ip_walsh_kernel, with weights not NULL when na * nb > 0 and out not NULL when na > 0 (nb = 0: every
 * out[i] = 0); blocks of rows on OpenMP threads as ip_walsh_kernel_product_rows, whose per-row sums
 * make the result independent of the split. */
ip_status ip_walsh_kernel_product(const uint64_t *a, int64_t na, const uint64_t *b, int64_t nb, int64_t words,
                                  const double *table, int64_t n, const double *weights, double *out, ip_error *err);

#ifdef __cplusplus
}
#endif

#endif
