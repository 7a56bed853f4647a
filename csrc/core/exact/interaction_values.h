/* Every interaction index of order <= k from one Moebius transform (shapiq's index family).
 *
 * A cardinal interaction index of the coalitions T with |T| <= k is a weighted superset sum of the
 * Harsanyi dividends d = Moebius(v):
 *     I(T) = sum_{S ⊇ T} w(|S|, |T|) d(S),
 * with w an (n + 1) x (k + 1) table (row s, column t) that names the index (SII: 1 / (s - t + 1),
 * STII, k-SII, FSII, ... : see python/interplay/exact/weights.py). One Moebius transform, then for
 * each size t with a non-diagonal column one weighting and one superset-sum pass: O((k + 1) n 2^n),
 * plus the output. A diagonal column (w(s, t) = 0 for s != t) is read off the dividends, and t = 0
 * is one dot product.
 *
 * The output lists every T with 0 <= |T| <= k in shapiq's order: by size, then the players of T in
 * lexicographic order (itertools.combinations), sum_{t <= k} C(n, t) values.
 */
#ifndef INTERPLAY_EXACT_INTERACTION_VALUES_H
#define INTERPLAY_EXACT_INTERACTION_VALUES_H

#include <stdint.h>

#include "common/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The number of coalitions with 0 <= |T| <= order of n players; -1 when out of range. */
int64_t ip_interaction_count(int n, int order);

/* out[ip_interaction_count(n, order)] <- I(T) for the weights[(n + 1) * (order + 1)] (row s, column t,
 * finite); values[2^n] a game table, 1 <= n <= IP_MAX_EXACT_PLAYERS, 0 <= order <= n. */
ip_status ip_interaction_values(const double *values, int n, const double *weights, int order, double *out,
                                ip_error *err);

/* The same values for |T| <= order <= 2, computed straight from v without the dividends (whose
 * rounding grows with n): I(T) = sum_{U ⊆ N∖T} g_t(|U|) Δ_T v(U), with derivative weights
 * g[(n + 1) * (order + 1)] (row r = |U|, column t; g_t(r) = sum_q C(n-t-r, q) (-1)^q w(t+r+q, t)). Per
 * size t, t + 1 superset sums of bounded terms g_t(|U| - j) v(U), combined by inclusion-exclusion over
 * the subsets of T: the error stays near n eps max|v|. out[ip_interaction_count(n, order)]. */
ip_status ip_low_order_values(const double *values, int n, const double *g, int order, double *out, ip_error *err);

#ifdef __cplusplus
}
#endif

#endif
