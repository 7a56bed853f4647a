/* Evaluation designs: for a block of samples, the coalitions to evaluate and the plan that turns
 * their values into per-sample contributions to each estimate.
 *
 * A plan has entries (output index, weight) grouped into runs; run r belongs to one estimate and
 * covers entries [run_end[r-1], run_end[r]) (run_end[-1] = 0). A sample's contribution to an
 * estimate is X = sum of weight * value(output) over its run; each sample has at most one run per
 * estimate, runs ordered by estimate within a sample. Output index 0 is v(∅), 1 is v(N), and
 * 2 + r the r-th coalition row of the block. Sample k uses only streams derived from k (below),
 * so blocks can be cut anywhere and give the same samples.
 *
 * Designs (n players; estimates; per sample):
 *   PERMUTATION  Shapley values by permutations (Castro et al. 2009): stream k draws a permutation
 *                π; rows are the prefixes P_1..P_{n-1}; player π_t gets v(P_{t+1}) - v(P_t).
 *                n estimates; n-1 rows, 2n entries, n runs.
 *   PAIRS        pair interactions with independent contexts per pair (dropout paper Eq. 2 / 3):
 *                for pair p and range r, stream k*P*R + p*R + r draws S ⊆ N∖{i,j} with the law
 *                (ip_context_row); rows S, S+i, S+j, S+i+j; estimate p*R + r gets Δf(S,i,j).
 *                P*R estimates; 4PR rows, 4PR entries, PR runs.
 *   SHARED_PAIRS all listed pairs share one context T ⊆ N per sample (stream k): with law
 *                IP_LAW_SIZE, |T| uniform in 0..n and T uniform given its size; with IP_LAW_RATE,
 *                each player in T with a rate drawn in [rate_lo, rate_hi]. For every pair,
 *                S = T ∖ {i,j} then has exactly the law P_Shapley(S | N∖{i,j}) (law SIZE: P(S) = sum
 *                over the four patterns of {i,j} of 1/((n+1) C(n,|T|)) = 1/((n-1) C(n-2,|S|))), or
 *                Bernoulli(rate) on N∖{i,j} (law RATE), so X = Δf(S,i,j) with weight 1 is unbiased
 *                for every pair. Rows: T, T ⊕ p for every player p of a listed pair, T ⊕ i ⊕ j per pair.
 *                P estimates; 1 + (#players in pairs) + P rows, 4P entries, P runs.
 *                antithetic: the sample also uses the complement T' = N ∖ T (same law: |T'| = n - |T|
 *                is uniform too, and a Bernoulli(r) set's complement is Bernoulli(1 - r), so law RATE
 *                needs rate_lo + rate_hi = 1) and X = (Δf(T ∖ {i,j}) + Δf(T' ∖ {i,j})) / 2: twice the
 *                rows and entries. For a game with terms up to order 3 the two halves sum to a
 *                constant (Δf(S) = a + Σ_k b_k [k ∈ S]), so X has no variance at all.
 *                systematic (law SIZE; replicates R >= 2): stratified sizes. Sample k belongs to
 *                replicate r = k mod R, point m = k div R; x = U_r + m·G mod 2^64 (U_r uniform 64-bit
 *                per replicate, G = 2^64 / golden ratio) and |T| = order(floor(x (n+1) / 2^64)), where
 *                order is the identity, or with antithetic (0, n, 1, n-1, 2, ...) so that consecutive
 *                positions hold a size and its complement. Each sample's x is uniform, so |T| is
 *                uniform in 0..n (to within 2^-64) and every sample stays unbiased; within a replicate
 *                the points of the golden-ratio sequence spread evenly over the sizes (three-gap
 *                theorem), and replicates are independent: estimate r*P + q is the running sum of
 *                replicate r, and the mean of the R replicate means has the unbiased variance
 *                estimate var(replicate means) / R. R*P estimates.
 *                size band (law SIZE, n_ranges = 1; n_ranges = 0 means all sizes): |T| uniform in
 *                [size_lo[0], size_hi[0]] instead of 0..n (systematic: positions over the band), with
 *                size_lo + size_hi = n so the band is closed under complements. The sampled part of
 *                the border design (python/interplay/sampling.py): the sizes outside the band are
 *                enumerated exactly there (ip_combinations, combinations.h).
 * (The contexts of the multivariate paper's Eq. 7 are drawn by multivariate/partition_sampling.h,
 * ip_mv_sample_contexts, with the same subset sampler.)
 */
#ifndef INTERPLAY_ENGINE_DESIGNS_H
#define INTERPLAY_ENGINE_DESIGNS_H

#include <stdbool.h>
#include <stdint.h>

#include "common/status.h"
#include "engine/engine_rows.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    IP_DESIGN_PERMUTATION = 0,
    IP_DESIGN_PAIRS = 1,
    IP_DESIGN_SHARED_PAIRS = 2
} ip_design_kind;

typedef struct {
    ip_design_kind kind;
    int64_t n;                  /* players; >= 1, >= 3 for pair designs (a pair and a context player) */
    uint64_t seed;
    ip_context_law law;         /* PAIRS, SHARED_PAIRS */
    bool systematic;            /* SHARED_PAIRS with IP_LAW_SIZE: stratified sizes over `replicates` replicates */
    bool antithetic;            /* SHARED_PAIRS: also evaluate the complement of each context */
    int64_t replicates;         /* >= 2 when systematic, else 1 */
    int64_t n_ranges;           /* PAIRS with IP_LAW_SIZE: number of size ranges (>= 1); SHARED_PAIRS with
                                   IP_LAW_SIZE: 0 (sizes 0..n) or 1 (the band [size_lo[0], size_hi[0]]);
                                   ignored with IP_LAW_RATE */
    const int64_t *size_lo;     /* [n_ranges], 0 <= size_lo <= size_hi <= n - 2 */
    const int64_t *size_hi;
    double rate_lo, rate_hi;    /* IP_LAW_RATE: 0 <= rate_lo <= rate_hi <= 1 */
    int64_t n_items;            /* pairs (PAIRS, SHARED_PAIRS), >= 1 */
    const int64_t *pairs;       /* [n_items, 2], distinct players in [0, n) */
} ip_design;

/* A design that passed ip_design_check, with its per-sample sizes (the same for every sample).
 * Only ip_design_check makes one: the functions that take it do not check the design again. */
typedef struct {
    ip_design d;
    int64_t rows, entries, runs; /* per sample */
    int64_t estimates;
} ip_checked_design;

/* Checks every field once; fills *out. */
ip_status ip_design_check(const ip_design *d, ip_checked_design *out, ip_error *err);

/* The sizes of the block of samples sample0 .. sample0 + count - 1 (rows, entries, runs in all),
 * with every size and stream index of the block checked against int64 overflow. */
ip_status ip_design_block(const ip_checked_design *c, int64_t sample0, int64_t count, int64_t *rows,
                          int64_t *entries, int64_t *runs, ip_error *err);

/* Fills the block of samples sample0 .. sample0 + count - 1 (sizes from ip_design_block): masks
 * [rows, words], entry_output / entry_weight [entries], run_estimate / run_end [runs]. */
ip_status ip_design_fill(const ip_checked_design *c, int64_t sample0, int64_t count, uint64_t *masks,
                         int64_t *entry_output, double *entry_weight, int64_t *run_estimate, int64_t *run_end,
                         ip_error *err);

#ifdef __cplusplus
}
#endif

#endif
