/* Small combinatorial helpers shared by the exact methods. Pure functions. */
#ifndef INTERPLAY_COMBINATORICS_H
#define INTERPLAY_COMBINATORICS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Number of set bits of mask. */
int ip_popcount(uint64_t mask);

/* Shapley weight of a context of size s among m other players:
 * s! (m - s)! / (m + 1)!  (dropout paper Eq. 1, P_Shapley(S | M) with |M| = m).
 * Requires 0 <= s <= m. Computed as 1 / ((m + 1) * C(m, s)) without overflow. */
double ip_shapley_weight(int s, int m);

/* Binomial coefficient C(n, k) as a double; 0 when k < 0 or k > n. */
double ip_binomial(int n, int k);

#ifdef __cplusplus
}
#endif

#endif
