/* Combinatorial helpers shared by every subsystem (one helper per concept). Pure functions. */
#ifndef INTERPLAY_COMMON_COMBINATORICS_H
#define INTERPLAY_COMMON_COMBINATORICS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Number of set bits of a word (the machine's instruction where the compiler has it). */
static inline int ip_popcount(uint64_t word) {
#if defined(__GNUC__)
    return __builtin_popcountll(word);
#else
    int count = 0;
    for (; word; word &= word - 1) ++count;
    return count;
#endif
}

/* Binomial coefficient C(n, k) as a double; 0 when k < 0 or k > n. */
double ip_binomial(int64_t n, int64_t k);

/* C(n, k) exactly; 0 when k < 0 or k > n; -1 when it exceeds INT64_MAX. */
int64_t ip_binomial_exact(int64_t n, int64_t k);

/* Shapley weight of a context of size s among m other players:
 * s! (m - s)! / (m + 1)!  (dropout paper Eq. 1, P_Shapley(S | M) with |M| = m).
 * Requires 0 <= s <= m. Computed as 1 / ((m + 1) * C(m, s)) without overflow. */
double ip_shapley_weight(int64_t s, int64_t m);

#ifdef __cplusplus
}
#endif

#endif
