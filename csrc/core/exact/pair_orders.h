/* Multi-order interactions of one pair (dropout paper Eq. 3, Eq. 4 and App. D).
 *
 * For players i != j of a game with n >= 2 players, m = n - 2 other players and the
 * contexts S ⊆ N \ {i, j} written as compressed masks over those m players (bit r of a
 * compressed mask is the r-th smallest player other than i and j):
 *   delta(S)   = v(S+i+j) - v(S+i) - v(S+j) + v(S)
 *   I^(s)(i,j) = mean of delta(S) over |S| = s,                 s = 0..m   (Eq. 3)
 *   R^T(i,j)   = Moebius transform of delta over the m players (App. D, Eq. 26),
 *                equal to the Harsanyi dividend d(T + i + j)
 *   J^(q)(i,j) = mean of R^T(i,j) over |T| = q,                 q = 0..m   (Eq. 4)
 * so that I^(s) = sum_q C(s, q) J^(q).
 */
#ifndef INTERPLAY_EXACT_PAIR_ORDERS_H
#define INTERPLAY_EXACT_PAIR_ORDERS_H

#include <stdint.h>

#include "common/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* orders[m+1] <- I^(s); marginal[m+1] <- J^(q) (may be NULL); rewards[2^m] <- R^T (may be NULL).
 * O(n * 2^n) when marginal or rewards are wanted, O(2^n) otherwise. */
ip_status ip_multi_order_interaction(const double *values, int n, int64_t i, int64_t j, double *orders, double *marginal,
                                     double *rewards, ip_error *err);

#ifdef __cplusplus
}
#endif

#endif
