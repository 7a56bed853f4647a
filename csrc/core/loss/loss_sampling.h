/* Sampling for the interaction loss (dropout paper Eq. 9 and App. G), shared by C and CUDA.
 *
 * Input b of a batch draws, from the counter RNG at (seed, stream = b):
 *   - two disjoint unit sets A, B with |A| = |B| = m, chosen uniformly as an ordered
 *     sequence of 2m distinct units (rejection of repeats; draw t uses counter 1 + t);
 *     the first m form A, the next m form B. They are shared by the input's contexts.
 * Its context k, sample s = b * contexts + k, draws at (seed, stream = s):
 *   - a keep-rate r = lo + (hi - lo) * U                           (counter 0)
 *   - the context S ⊆ N \ A \ B: each unit u outside A and B is KEPT in S (present)
 *     with probability r, i.e. when U(counter IP_LOSS_UNIT_COUNTER + u) < r.
 * The rate is the probability that a unit is kept (present) in S, not dropped.
 * With r ~ U[0, 1] the law of S is P(S) = ∫ r^|S| (1-r)^(k-|S|) dr = |S|! (k-|S|)! / (k+1)!,
 * k = |N \ A \ B|: exactly the Shapley weighting P_Shapley(S | N \ A \ B) of Eq. 2.
 *
 * The result is one byte per unit, its role:
 *   IP_ROLE_OUT (0) absent from every variant, IP_ROLE_S (1) in S, IP_ROLE_A (2), IP_ROLE_B (3).
 * Variant v (0: S∪A∪B, 1: S∪A, 2: S∪B, 3: S) contains a unit iff ip_role_present(v, role).
 */
#ifndef INTERPLAY_LOSS_LOSS_SAMPLING_H
#define INTERPLAY_LOSS_LOSS_SAMPLING_H

#include <stdint.h>
#include <stdbool.h>

#include "common/counter_rng.h"

#define IP_ROLE_OUT 0
#define IP_ROLE_S 1
#define IP_ROLE_A 2
#define IP_ROLE_B 3
#define IP_LOSS_VARIANTS 4
#define IP_LOSS_UNIT_COUNTER (UINT64_C(1) << 40)

/* Whether variant v (0 SAB, 1 SA, 2 SB, 3 S) holds a unit of this role. Bit table:
 * role S is in all four, A in SAB and SA, B in SAB and SB, OUT in none. A byte that is not a role
 * (> IP_ROLE_B) is in no variant; the ops reject such bytes before they get here. */
static inline IP_HOST_DEVICE bool ip_role_present(int variant, uint8_t role) {
    /* bits of variant v for roles OUT, S, A, B: OUT 0000, S 1111, A 0011, B 0101 (bit v). */
    const unsigned table = (0x0u) | (0xFu << 4) | (0x3u << 8) | (0x5u << 12);
    return role <= IP_ROLE_B && ((table >> (4u * role + (unsigned)variant)) & 1u) != 0;
}

/* Δf(S, A, B) = f(S∪A∪B) - f(S∪A) - f(S∪B) + f(S) (Eq. 9) from the rewards of variants 0..3, added
 * left to right in double whatever the rewards' dtype, on the CPU and the GPU alike. */
static inline IP_HOST_DEVICE double ip_variant_delta(double f0, double f1, double f2, double f3) {
    return f0 - f1 - f2 + f3;
}

/* The keep-rate of sample s: lo + (hi - lo) * U(seed, s, 0). */
static inline IP_HOST_DEVICE double ip_loss_rate(uint64_t seed, uint64_t sample, double lo, double hi) {
    return lo + (hi - lo) * ip_random_uniform(seed, sample, 0);
}

/* true if unit u (not in A or B) is kept in the context S of sample s at keep-rate r. */
static inline IP_HOST_DEVICE bool ip_loss_kept(uint64_t seed, uint64_t sample, uint64_t unit, double rate) {
    return ip_random_uniform(seed, sample, IP_LOSS_UNIT_COUNTER + unit) < rate;
}

/* Marks A (role 2) and B (role 3) of input `input` in roles[0..n), which must be all IP_ROLE_OUT on entry.
 * Invariant: 1 <= m and 2m <= n (checked by the callers). */
static inline IP_HOST_DEVICE void ip_loss_pick_sets(uint64_t seed, uint64_t input, int64_t n, int64_t m,
                                                    uint8_t *roles) {
    uint64_t counter = 1;
    int64_t picked = 0;
    while (picked < 2 * m) {
        const uint64_t u = ip_random_below(seed, input, counter++, (uint64_t)n);
        if (roles[u] != IP_ROLE_OUT) continue;
        roles[u] = (uint8_t)(picked < m ? IP_ROLE_A : IP_ROLE_B);
        ++picked;
    }
}

#endif
