/* Coalition Shapley values and multivariate interactions (multivariate paper Eq. 1-3, 6).
 *
 * A coalition C (a packed player set of one word, n <= IP_MAX_EXACT_PLAYERS, non-empty) acts as
 * one player [C]; the players in `absent` (disjoint from C) are held at the baseline and never
 * attend; the other players M = N \ C \ absent play as usual. Then, with m = |M|,
 *   phi(C | N_C) = sum_{S ⊆ M} s! (m - s)! / (m + 1)! [v(S + C) - v(S)]          (Eq. 1 on N_C)
 *   B([A])       = phi(A | N_[A]) - sum_{i in A} phi({i} | N \ A + {i})          (Eq. 3)
 *   I(K | A)     = Shapley interaction index of K in the game on N \ (A \ K)     (Eq. 6's components)
 *                = sum_{S ⊆ N'\K} w(|S|) sum_{L ⊆ K} (-1)^{|K|-|L|} v(S + L),
 *                  w(s) = s! (n' - k - s)! / (n' - k + 1)!, n' = |N \ (A \ K)|, k = |K|.
 * so that B([A]) = sum_{K ⊆ A, |K| > 1} I(K | A) exactly.
 * The batched versions validate every item before computing any (OpenMP over items).
 */
#ifndef INTERPLAY_EXACT_COALITION_VALUE_H
#define INTERPLAY_EXACT_COALITION_VALUE_H

#include <stdint.h>

#include "common/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* out[k] <- phi(coalitions[k] | ...) with absent[k], for k < count. */
ip_status ip_coalition_shapley(const double *values, int n, const uint64_t *coalitions, const uint64_t *absent,
                               int64_t count, double *out, ip_error *err);

/* out[k] <- B([players[k]]) (each set with at least 2 players). */
ip_status ip_multivariate_interaction(const double *values, int n, const uint64_t *players, int64_t count,
                                      double *out, ip_error *err);

/* out[k] <- I(subsets[k] | players[k]) for a non-empty subsets[k] ⊆ players[k]. */
ip_status ip_elementary_interaction(const double *values, int n, const uint64_t *players, const uint64_t *subsets,
                                    int64_t count, double *out, ip_error *err);

#ifdef __cplusplus
}
#endif

#endif
