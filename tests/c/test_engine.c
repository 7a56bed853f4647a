/* engine/: combinations, the Δf reduction, designs (check, block sizes, fill) and masked rows. */
#include <stdlib.h>

#include "check.h"
#include "common/combinatorics.h"
#include "common/player_set.h"
#include "engine/combinations.h"
#include "engine/delta_reduce.h"
#include "engine/designs.h"
#include "engine/masked_inputs.h"

static void combinations(void) {
    ip_error err;
    int64_t c = -1;
    OK(ip_combinations_count(4, 2, &c, &err));
    CHECK(c == 6);
    OK(ip_combinations_count(1, 0, &c, &err));
    CHECK(c == 1);
    FAILS(IP_ERR_NULL, "out", ip_combinations_count(4, 2, NULL, &err));
    FAILS(IP_ERR_RANGE, "n", ip_combinations_count(0, 0, &c, &err));
    FAILS(IP_ERR_RANGE, "n", ip_combinations_count(INT64_MIN, 0, &c, &err));
    FAILS(IP_ERR_RANGE, "t", ip_combinations_count(4, 5, &c, &err));
    FAILS(IP_ERR_RANGE, "t", ip_combinations_count(4, -1, &c, &err));
    FAILS(IP_ERR_TOO_LARGE, "t", ip_combinations_count(100, 50, &c, &err));
    OK(ip_combinations_count(INT64_MAX, 1, &c, &err));
    CHECK(c == INT64_MAX);

    /* the 2-subsets of 4 players in lexicographic order: {0,1} {0,2} {0,3} {1,2} {1,3} {2,3} */
    const uint64_t want[6] = {3, 5, 9, 6, 10, 12};
    uint64_t masks[6];
    OK(ip_combinations(4, 2, 0, 6, masks, &err));
    for (int k = 0; k < 6; ++k) CHECK(masks[k] == want[k]);
    uint64_t part[3] = {77, 77, 77};
    OK(ip_combinations(4, 2, 2, 3, part, &err));
    CHECK(part[0] == 9 && part[1] == 6 && part[2] == 10);
    OK(ip_combinations(4, 0, 0, 1, part, &err));
    CHECK(part[0] == 0);
    OK(ip_combinations(4, 4, 0, 1, part, &err));
    CHECK(part[0] == 15);
    OK(ip_combinations(4, 2, 6, 0, NULL, &err)); /* an empty range at the end */
    /* 130 players, 3 words: rank 0 of t = 2 is {0, 1}; the last is {128, 129} */
    uint64_t wide[3];
    OK(ip_combinations(130, 2, 0, 1, wide, &err));
    CHECK(wide[0] == 3 && wide[1] == 0 && wide[2] == 0);
    OK(ip_combinations(130, 2, 130 * 129 / 2 - 1, 1, wide, &err));
    CHECK(wide[0] == 0 && wide[1] == 0 && wide[2] == 3);

    part[0] = part[1] = part[2] = 77;
    FAILS(IP_ERR_NULL, "masks", ip_combinations(4, 2, 0, 1, NULL, &err));
    FAILS(IP_ERR_RANGE, "rank0", ip_combinations(4, 2, 7, 0, part, &err));
    FAILS(IP_ERR_RANGE, "rank0", ip_combinations(4, 2, -1, 1, part, &err));
    FAILS(IP_ERR_RANGE, "count", ip_combinations(4, 2, 5, 2, part, &err));
    FAILS(IP_ERR_RANGE, "count", ip_combinations(4, 2, 0, -1, part, &err));
    FAILS(IP_ERR_RANGE, "count", ip_combinations(4, 2, 1, INT64_MAX, part, &err));
    FAILS(IP_ERR_TOO_LARGE, "n", ip_combinations(INT64_MAX, 1, 1, INT64_MAX, part, &err)); /* masks of 2^57 words */
    FAILS(IP_ERR_TOO_LARGE, "n", ip_combinations(INT64_MAX, 1, 0, 1, part, &err));
    FAILS(IP_ERR_TOO_LARGE, "t", ip_combinations(200, 100, 0, 1, part, &err));
    CHECK(part[0] == 77 && part[1] == 77 && part[2] == 77);
}

static void delta_reduce(void) {
    ip_error err;
    /* two runs into estimates 1 and 0: X0 = 2 v[2] - v[0] = 5, X1 = 0.5 v[1] = 1 */
    const double values[3] = {1.0, 2.0, 3.0};
    const int64_t out[3] = {2, 0, 1}, run_est[2] = {1, 0}, run_end[2] = {2, 3};
    const double weight[3] = {2.0, -1.0, 0.5};
    double sums[2] = {10.0, 0.0}, sumsq[2] = {0.0, 0.0};
    OK(ip_delta_reduce(values, 3, out, weight, 3, run_est, run_end, 2, 2, sums, sumsq, &err));
    CHECK(sums[0] == 11.0 && sums[1] == 5.0 && sumsq[0] == 1.0 && sumsq[1] == 25.0);
    OK(ip_delta_reduce(NULL, 0, NULL, NULL, 0, NULL, NULL, 0, 0, NULL, NULL, &err)); /* nothing to do */

    const double nan_weight[3] = {2.0, NAN, 0.5};
    const int64_t bad_out[3] = {2, 3, 1}, neg_out[3] = {-1, 0, 1}, bad_est[2] = {1, 2}, bad_end[2] = {3, 2};
    const int64_t short_end[2] = {1, 2};
    sums[0] = sums[1] = sumsq[0] = sumsq[1] = 42.0;
    FAILS(IP_ERR_RANGE, "values", ip_delta_reduce(values, -1, out, weight, 3, run_est, run_end, 2, 2, sums, sumsq, &err));
    FAILS(IP_ERR_RANGE, "entry_output", ip_delta_reduce(values, 3, out, weight, -3, run_est, run_end, 2, 2, sums, sumsq, &err));
    FAILS(IP_ERR_RANGE, "run_end", ip_delta_reduce(values, 3, out, weight, 3, run_est, run_end, INT64_MIN, 2, sums, sumsq, &err));
    FAILS(IP_ERR_RANGE, "sums", ip_delta_reduce(values, 3, out, weight, 3, run_est, run_end, 2, -2, sums, sumsq, &err));
    FAILS(IP_ERR_NULL, "values", ip_delta_reduce(NULL, 3, out, weight, 3, run_est, run_end, 2, 2, sums, sumsq, &err));
    FAILS(IP_ERR_NULL, "sums", ip_delta_reduce(values, 3, out, weight, 3, run_est, run_end, 2, 2, NULL, sumsq, &err));
    FAILS(IP_ERR_NULL, "sumsq", ip_delta_reduce(values, 3, out, weight, 3, run_est, run_end, 2, 2, sums, NULL, &err));
    FAILS(IP_ERR_NULL, "entry_output", ip_delta_reduce(values, 3, NULL, weight, 3, run_est, run_end, 2, 2, sums, sumsq, &err));
    FAILS(IP_ERR_NULL, "entry_weight", ip_delta_reduce(values, 3, out, NULL, 3, run_est, run_end, 2, 2, sums, sumsq, &err));
    FAILS(IP_ERR_NULL, "run_estimate", ip_delta_reduce(values, 3, out, weight, 3, NULL, run_end, 2, 2, sums, sumsq, &err));
    FAILS(IP_ERR_NULL, "run_end", ip_delta_reduce(values, 3, out, weight, 3, run_est, NULL, 2, 2, sums, sumsq, &err));
    FAILS(IP_ERR_RANGE, "entry_output", ip_delta_reduce(values, 3, bad_out, weight, 3, run_est, run_end, 2, 2, sums, sumsq, &err));
    FAILS(IP_ERR_RANGE, "entry_output", ip_delta_reduce(values, 3, neg_out, weight, 3, run_est, run_end, 2, 2, sums, sumsq, &err));
    FAILS(IP_ERR_NONFINITE, "entry_weight", ip_delta_reduce(values, 3, out, nan_weight, 3, run_est, run_end, 2, 2, sums, sumsq, &err));
    FAILS(IP_ERR_RANGE, "run_estimate", ip_delta_reduce(values, 3, out, weight, 3, bad_est, run_end, 2, 2, sums, sumsq, &err));
    FAILS(IP_ERR_ARG, "run_end", ip_delta_reduce(values, 3, out, weight, 3, run_est, bad_end, 2, 2, sums, sumsq, &err));
    FAILS(IP_ERR_ARG, "run_end", ip_delta_reduce(values, 3, out, weight, 3, run_est, short_end, 2, 2, sums, sumsq, &err));
    CHECK(sums[0] == 42.0 && sums[1] == 42.0 && sumsq[0] == 42.0 && sumsq[1] == 42.0);
}

static ip_design base_design(ip_design_kind kind, int64_t n) {
    ip_design d;
    memset(&d, 0, sizeof d);
    d.kind = kind, d.n = n, d.seed = 7, d.law = IP_LAW_SIZE, d.replicates = 1;
    return d;
}

/* Fills a block and checks the plan's structure: outputs in range, run_end increasing to the entries. */
static void fill_and_check(const ip_checked_design *c, int64_t sample0, int64_t count, int64_t **masks_out) {
    ip_error err;
    int64_t rows = -1, entries = -1, runs = -1;
    OK(ip_design_block(c, sample0, count, &rows, &entries, &runs, &err));
    CHECK(rows == count * c->rows && entries == count * c->entries && runs == count * c->runs);
    const int64_t words = ip_mask_words(c->d.n);
    uint64_t *masks = (uint64_t *)calloc((size_t)(rows * words + 1), sizeof(uint64_t));
    int64_t *out = (int64_t *)calloc((size_t)entries + 1, sizeof(int64_t));
    double *weight = (double *)calloc((size_t)entries + 1, sizeof(double));
    int64_t *est = (int64_t *)calloc((size_t)runs + 1, sizeof(int64_t));
    int64_t *end = (int64_t *)calloc((size_t)runs + 1, sizeof(int64_t));
    OK(ip_design_fill(c, sample0, count, masks, out, weight, est, end, &err));
    for (int64_t e = 0; e < entries; ++e) CHECK(out[e] >= 0 && out[e] < 2 + rows && weight[e] != 0.0);
    for (int64_t r = 0; r < runs; ++r) CHECK(est[r] >= 0 && est[r] < c->estimates && end[r] > (r ? end[r - 1] : 0));
    CHECK(runs == 0 || end[runs - 1] == entries);
    for (int64_t r = 0; r < rows; ++r) CHECK(!ip_row_beyond(masks + r * words, words, c->d.n));
    if (masks_out) *masks_out = (int64_t *)masks;
    else free(masks);
    free(out), free(weight), free(est), free(end);
}

static void designs(void) {
    ip_error err;
    ip_checked_design c;
    memset(&c, 0, sizeof c);

    /* permutation, n = 3: rows are the prefixes P_1, P_2 (sizes 1, 2, nested); entries telescope */
    ip_design d = base_design(IP_DESIGN_PERMUTATION, 3);
    OK(ip_design_check(&d, &c, &err));
    CHECK(c.rows == 2 && c.entries == 6 && c.runs == 3 && c.estimates == 3);
    int64_t *m = NULL;
    fill_and_check(&c, 0, 5, &m);
    for (int k = 0; k < 5; ++k) {
        const uint64_t p1 = (uint64_t)m[2 * k], p2 = (uint64_t)m[2 * k + 1];
        CHECK(ip_popcount(p1) == 1 && ip_popcount(p2) == 2 && (p1 & p2) == p1 && p2 < 8);
    }
    free(m);
    OK(ip_design_check(&(ip_design){.kind = IP_DESIGN_PERMUTATION, .n = 1, .replicates = 1}, &c, &err));
    CHECK(c.rows == 0 && c.entries == 2);
    fill_and_check(&c, 3, 2, NULL);

    /* pairs, n = 5, pair (1, 3), sizes [0, 3]: rows S, S+i, S+j, S+i+j with S ⊆ N∖{1,3} */
    const int64_t pairs[4] = {1, 3, 0, 4}, lo[2] = {0, 2}, hi[2] = {3, 2};
    d = base_design(IP_DESIGN_PAIRS, 5);
    d.pairs = pairs, d.n_items = 1, d.n_ranges = 1, d.size_lo = lo, d.size_hi = hi;
    OK(ip_design_check(&d, &c, &err));
    CHECK(c.rows == 4 && c.entries == 4 && c.runs == 1 && c.estimates == 1);
    fill_and_check(&c, 0, 20, &m);
    for (int k = 0; k < 20; ++k) {
        const uint64_t s = (uint64_t)m[4 * k];
        CHECK((s & 0xA) == 0 && (uint64_t)m[4 * k + 1] == (s | 2) && (uint64_t)m[4 * k + 2] == (s | 8) &&
              (uint64_t)m[4 * k + 3] == (s | 10));
    }
    free(m);
    d.n_items = 2, d.n_ranges = 2;
    OK(ip_design_check(&d, &c, &err));
    CHECK(c.runs == 4 && c.estimates == 4 && c.rows == 16);
    fill_and_check(&c, 1, 3, NULL);
    d.law = IP_LAW_RATE, d.rate_lo = 0.2, d.rate_hi = 0.7;
    OK(ip_design_check(&d, &c, &err));
    CHECK(c.runs == 2);
    fill_and_check(&c, 0, 4, NULL);

    /* shared pairs (antithetic, systematic) on 70 players: two words per row */
    const int64_t wide_pairs[4] = {0, 65, 3, 69};
    d = base_design(IP_DESIGN_SHARED_PAIRS, 70);
    d.pairs = wide_pairs, d.n_items = 2, d.antithetic = true, d.systematic = true, d.replicates = 3;
    OK(ip_design_check(&d, &c, &err));
    CHECK(c.rows == 2 * (1 + 4 + 2) && c.entries == 16 && c.runs == 2 && c.estimates == 6);
    fill_and_check(&c, 5, 7, NULL);
    const int64_t band_lo[1] = {20}, band_hi[1] = {50};
    d.n_ranges = 1, d.size_lo = band_lo, d.size_hi = band_hi, d.systematic = false, d.replicates = 1;
    OK(ip_design_check(&d, &c, &err));
    fill_and_check(&c, 0, 3, NULL);
    d.n_ranges = 0, d.law = IP_LAW_RATE, d.rate_lo = 0.25, d.rate_hi = 0.75;
    OK(ip_design_check(&d, &c, &err));
    fill_and_check(&c, 0, 3, NULL);

    /* hostile designs: each names its argument */
    FAILS(IP_ERR_NULL, "design", ip_design_check(NULL, &c, &err));
    FAILS(IP_ERR_NULL, "design", ip_design_check(&d, NULL, &err));
    d = base_design(IP_DESIGN_PERMUTATION, 0);
    FAILS(IP_ERR_RANGE, "n", ip_design_check(&d, &c, &err));
    d.n = INT64_MIN;
    FAILS(IP_ERR_RANGE, "n", ip_design_check(&d, &c, &err));
    d.n = INT64_MAX;
    FAILS(IP_ERR_TOO_LARGE, "n", ip_design_check(&d, &c, &err));
    d = base_design((ip_design_kind)9, 4);
    FAILS(IP_ERR_ARG, "kind", ip_design_check(&d, &c, &err));
    d = base_design(IP_DESIGN_PERMUTATION, 4);
    d.antithetic = true;
    FAILS(IP_ERR_ARG, "systematic", ip_design_check(&d, &c, &err));
    d = base_design(IP_DESIGN_PAIRS, 2);
    d.pairs = pairs, d.n_items = 1, d.n_ranges = 1, d.size_lo = lo, d.size_hi = hi;
    FAILS(IP_ERR_RANGE, "n", ip_design_check(&d, &c, &err));
    d.n = 5, d.n_items = 0;
    FAILS(IP_ERR_ARG, "pairs", ip_design_check(&d, &c, &err));
    d.n_items = -1;
    FAILS(IP_ERR_TOO_LARGE, "pairs", ip_design_check(&d, &c, &err));
    d.n_items = INT64_MAX;
    FAILS(IP_ERR_TOO_LARGE, "pairs", ip_design_check(&d, &c, &err));
    d.n_items = 1, d.pairs = NULL;
    FAILS(IP_ERR_NULL, "pairs", ip_design_check(&d, &c, &err));
    const int64_t same[2] = {2, 2}, outside[2] = {0, 5}, negative[2] = {-1, 2}, huge[2] = {0, INT64_MAX};
    d.pairs = same;
    FAILS(IP_ERR_ARG, "pairs", ip_design_check(&d, &c, &err));
    d.pairs = outside;
    FAILS(IP_ERR_RANGE, "pairs", ip_design_check(&d, &c, &err));
    d.pairs = negative;
    FAILS(IP_ERR_RANGE, "pairs", ip_design_check(&d, &c, &err));
    d.pairs = huge;
    FAILS(IP_ERR_RANGE, "pairs", ip_design_check(&d, &c, &err));
    d.pairs = pairs, d.law = (ip_context_law)5;
    FAILS(IP_ERR_ARG, "law", ip_design_check(&d, &c, &err));
    d.law = IP_LAW_RATE, d.rate_lo = NAN, d.rate_hi = 0.5;
    FAILS(IP_ERR_RANGE, "rate_lo", ip_design_check(&d, &c, &err));
    d.rate_lo = 0.6;
    FAILS(IP_ERR_RANGE, "rate_lo", ip_design_check(&d, &c, &err));
    d.rate_lo = 0.0, d.rate_hi = INFINITY;
    FAILS(IP_ERR_RANGE, "rate_lo", ip_design_check(&d, &c, &err));
    d.law = IP_LAW_SIZE, d.n_ranges = 0;
    FAILS(IP_ERR_ARG, "size_lo", ip_design_check(&d, &c, &err));
    d.n_ranges = 1, d.size_lo = NULL;
    FAILS(IP_ERR_NULL, "size_lo", ip_design_check(&d, &c, &err));
    const int64_t too_big[1] = {4}, neg[1] = {-1}, big_hi[1] = {INT64_MAX};
    d.size_lo = lo, d.size_hi = too_big;
    FAILS(IP_ERR_RANGE, "size_lo", ip_design_check(&d, &c, &err));
    d.size_lo = neg, d.size_hi = hi;
    FAILS(IP_ERR_RANGE, "size_lo", ip_design_check(&d, &c, &err));
    d.size_lo = lo, d.size_hi = big_hi;
    FAILS(IP_ERR_RANGE, "size_lo", ip_design_check(&d, &c, &err));
    d.size_hi = hi, d.n_ranges = INT64_MAX;
    FAILS(IP_ERR_TOO_LARGE, "pairs", ip_design_check(&d, &c, &err));

    d = base_design(IP_DESIGN_SHARED_PAIRS, 5);
    d.pairs = pairs, d.n_items = 2;
    d.systematic = true, d.replicates = 1;
    FAILS(IP_ERR_ARG, "replicates", ip_design_check(&d, &c, &err));
    d.replicates = INT64_MAX; /* estimates = items * replicates would overflow */
    FAILS(IP_ERR_TOO_LARGE, "replicates", ip_design_check(&d, &c, &err));
    d.replicates = INT64_MIN;
    FAILS(IP_ERR_ARG, "replicates", ip_design_check(&d, &c, &err));
    d.systematic = false, d.replicates = 2;
    FAILS(IP_ERR_ARG, "replicates", ip_design_check(&d, &c, &err));
    d.replicates = 1, d.law = IP_LAW_RATE, d.rate_lo = 0.1, d.rate_hi = 0.5, d.antithetic = true;
    FAILS(IP_ERR_ARG, "antithetic", ip_design_check(&d, &c, &err));
    d.antithetic = false, d.law = IP_LAW_SIZE, d.systematic = true, d.replicates = 2, d.law = IP_LAW_RATE;
    FAILS(IP_ERR_ARG, "systematic", ip_design_check(&d, &c, &err));
    d = base_design(IP_DESIGN_SHARED_PAIRS, 5);
    d.pairs = pairs, d.n_items = 2, d.n_ranges = 2, d.size_lo = lo, d.size_hi = hi;
    FAILS(IP_ERR_ARG, "size_lo", ip_design_check(&d, &c, &err));
    const int64_t asym_lo[1] = {1}, asym_hi[1] = {3};
    d.n_ranges = 1, d.size_lo = asym_lo, d.size_hi = asym_hi;
    FAILS(IP_ERR_RANGE, "size_lo", ip_design_check(&d, &c, &err));

    /* blocks: negative and overflowing sample ranges */
    d = base_design(IP_DESIGN_PERMUTATION, 6);
    OK(ip_design_check(&d, &c, &err));
    int64_t rows = -5, entries = -5, runs = -5;
    FAILS(IP_ERR_NULL, "design", ip_design_block(NULL, 0, 1, &rows, &entries, &runs, &err));
    FAILS(IP_ERR_NULL, "design", ip_design_block(&c, 0, 1, NULL, &entries, &runs, &err));
    FAILS(IP_ERR_RANGE, "sample0", ip_design_block(&c, -1, 1, &rows, &entries, &runs, &err));
    FAILS(IP_ERR_RANGE, "count", ip_design_block(&c, 0, -1, &rows, &entries, &runs, &err));
    FAILS(IP_ERR_TOO_LARGE, "count", ip_design_block(&c, INT64_MAX, 1, &rows, &entries, &runs, &err));
    FAILS(IP_ERR_TOO_LARGE, "count", ip_design_block(&c, 0, INT64_C(1) << 62, &rows, &entries, &runs, &err));
    CHECK(rows == -5 && entries == -5 && runs == -5);
    OK(ip_design_block(&c, INT64_MAX - 1, 1, &rows, &entries, &runs, &err));
    /* a block whose arrays fit int64 but whose scratch (2n + items + 2 words per sample) would not fit size_t */
    d = base_design(IP_DESIGN_PERMUTATION, 3);
    OK(ip_design_check(&d, &c, &err));
    uint64_t dummy_mask[1];
    int64_t dummy[1];
    double dummy_w[1];
    FAILS(IP_ERR_TOO_LARGE, "count",
          ip_design_fill(&c, 0, INT64_C(1) << 59, dummy_mask, dummy, dummy_w, dummy, dummy, &err));
    FAILS(IP_ERR_NULL, "masks", ip_design_fill(&c, 0, 1, NULL, dummy, dummy_w, dummy, dummy, &err));
    FAILS(IP_ERR_NULL, "entry_output", ip_design_fill(&c, 0, 1, dummy_mask, NULL, dummy_w, dummy, dummy, &err));
    FAILS(IP_ERR_NULL, "run_estimate", ip_design_fill(&c, 0, 1, dummy_mask, dummy, dummy_w, NULL, dummy, &err));
    OK(ip_design_fill(&c, 0, 0, NULL, NULL, NULL, NULL, NULL, &err));
}

static void masked_inputs(void) {
    ip_error err;
    const int64_t map[4] = {0, -1, 1, 65};
    OK(ip_check_masked_inputs(map, 4, 66, 2, &err));
    OK(ip_check_masked_inputs(NULL, 4, 66, 2, &err)); /* device memory: sizes only */
    FAILS(IP_ERR_RANGE, "player_map", ip_check_masked_inputs(map, 4, 65, 2, &err));
    const int64_t low[2] = {0, -2};
    FAILS(IP_ERR_RANGE, "player_map", ip_check_masked_inputs(low, 2, 3, 1, &err));
    CHECK(strstr(err.detail, "player_map[1] = -2") != NULL);
    FAILS(IP_ERR_RANGE, "x", ip_check_masked_inputs(map, -4, 66, 2, &err));
    FAILS(IP_ERR_RANGE, "masks", ip_check_masked_inputs(map, 4, -1, 2, &err));
    FAILS(IP_ERR_RANGE, "masks", ip_check_masked_inputs(map, 4, 66, -2, &err));
    FAILS(IP_ERR_TOO_LARGE, "masks", ip_check_masked_inputs(map, 4, 66, INT64_MAX / 2, &err));

    /* two coalitions over 66 players (two words): {0, 65} and {1} */
    const uint64_t masks[4] = {1, 2, 2, 0};
    const float x32[4] = {1.f, 2.f, 3.f, NAN}, b32[4] = {-1.f, -2.f, -3.f, -4.f};
    uint32_t out32[8], sel32[67];
    ip_masked_rows_32((const uint32_t *)x32, (const uint32_t *)b32, map, 4, 66, masks, 2, out32, sel32);
    float *f = (float *)out32;
    CHECK(f[0] == 1.f && f[1] == 2.f && f[2] == -3.f && isnan(f[3]));   /* NaN moved as its bit pattern */
    CHECK(f[4] == -1.f && f[5] == 2.f && f[6] == 3.f && f[7] == -4.f);
    const int64_t xi[4] = {INT64_MAX, 5, 6, INT64_MIN}, bi[4] = {0, 0, 0, 0};
    uint64_t out64[8], sel64[67];
    ip_masked_rows_64((const uint64_t *)xi, (const uint64_t *)bi, map, 4, 66, masks, 2, out64, sel64);
    const int64_t *o = (const int64_t *)out64;
    CHECK(o[0] == INT64_MAX && o[1] == 5 && o[2] == 0 && o[3] == INT64_MIN && o[4] == 0 && o[6] == 6 && o[7] == 0);

    /* the whole batch (check, then rows on threads): the bits of the serial rows */
    uint32_t all32[8];
    uint64_t all64[8];
    OK(ip_masked_inputs_32((const uint32_t *)x32, (const uint32_t *)b32, map, 4, 66, masks, 2, all32, &err));
    CHECK(memcmp(all32, out32, sizeof all32) == 0);
    OK(ip_masked_inputs_64((const uint64_t *)xi, (const uint64_t *)bi, map, 4, 66, masks, 2, all64, &err));
    CHECK(memcmp(all64, out64, sizeof all64) == 0);
    OK(ip_masked_inputs_64(NULL, NULL, NULL, 0, 66, NULL, 2, NULL, &err)); /* empty: nothing read */
    OK(ip_masked_inputs_32(NULL, NULL, NULL, 4, 66, NULL, 0, NULL, &err));
    all64[0] = 7;
    FAILS(IP_ERR_RANGE, "player_map", ip_masked_inputs_64((const uint64_t *)xi, (const uint64_t *)bi, map, 4, 65, masks,
                                                          2, all64, &err));
    CHECK(all64[0] == 7); /* untouched */
    FAILS(IP_ERR_NULL, "x", ip_masked_inputs_64((const uint64_t *)xi, (const uint64_t *)bi, NULL, 4, 66, masks, 2, all64,
                                                &err));
    FAILS(IP_ERR_NULL, "x", ip_masked_inputs_32(NULL, (const uint32_t *)b32, map, 4, 66, masks, 2, all32, &err));
    FAILS(IP_ERR_TOO_LARGE, "masks", ip_masked_inputs_32(NULL, NULL, NULL, 4, 66, NULL, INT64_MAX / 2, NULL, &err));
    FAILS(IP_ERR_RANGE, "masks", ip_masked_inputs_64(NULL, NULL, NULL, 4, -1, NULL, 2, NULL, &err));

    /* a batch over the parallel threshold (IP_OMP_MIN_ELEMENTS elements): row b keeps x where bit b % 3 */
    enum { BATCH = 300, D = 300 };
    int64_t wide_map[D];
    uint64_t wide_x[D], wide_base[D], wide_masks[BATCH];
    for (int64_t k = 0; k < D; ++k) wide_map[k] = k % 3 - 1, wide_x[k] = (uint64_t)k + 1, wide_base[k] = 0;
    for (int64_t r = 0; r < BATCH; ++r) wide_masks[r] = (uint64_t)1 << (r % 3);
    uint64_t *wide_out = malloc(sizeof(uint64_t) * BATCH * D);
    CHECK(wide_out != NULL);
    if (wide_out != NULL) {
        OK(ip_masked_inputs_64(wide_x, wide_base, wide_map, D, 64, wide_masks, BATCH, wide_out, &err));
        int64_t wrong = 0;
        for (int64_t r = 0; r < BATCH; ++r)
            for (int64_t k = 0; k < D; ++k) {
                const int keep = wide_map[k] == -1 || wide_map[k] == r % 3;
                wrong += wide_out[r * D + k] != (keep ? wide_x[k] : 0);
            }
        CHECK(wrong == 0);
        free(wide_out);
    }
}

void test_engine(void) {
    combinations();
    delta_reduce();
    designs();
    masked_inputs();
}
