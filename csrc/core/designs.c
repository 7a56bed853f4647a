#include "designs.h"

#include <stdlib.h>

#include "combinatorics.h"
#include "engine_rows.h"

static int64_t popcount_row(const uint64_t *row, int64_t words) {
    int64_t c = 0;
    for (int64_t w = 0; w < words; ++w) c += ip_popcount(row[w]);
    return c;
}

static int row_has_bits_from(const uint64_t *row, int64_t words, int64_t n) {
    for (int64_t p = n; p < words * 64; ++p)
        if (ip_row_bit(row, p)) return 1;
    return 0;
}

ip_status ip_design_check(const ip_design *d) {
    if (d == NULL) return IP_ERR_NULL;
    const int64_t n = d->n, words = ip_mask_words(d->n);
    if (n < 1) return IP_ERR_RANGE;
    switch (d->kind) {
    case IP_DESIGN_PERMUTATION: return (d->systematic || d->antithetic) ? IP_ERR_ARG : IP_OK;
    case IP_DESIGN_PAIRS:
    case IP_DESIGN_SHARED_PAIRS:
        if (n < 3) return IP_ERR_RANGE;
        if (d->pairs == NULL) return IP_ERR_NULL;
        if (d->n_items < 1) return IP_ERR_ARG;
        for (int64_t p = 0; p < d->n_items; ++p) {
            const int64_t i = d->pairs[2 * p], j = d->pairs[2 * p + 1];
            if (i < 0 || i >= n || j < 0 || j >= n) return IP_ERR_RANGE;
            if (i == j) return IP_ERR_ARG;
        }
        if (d->kind == IP_DESIGN_SHARED_PAIRS) {
            if (d->systematic ? (d->law != IP_LAW_SIZE || d->replicates < 2) : d->replicates != 1) return IP_ERR_ARG;
            /* the complement of a Bernoulli(r) set is Bernoulli(1 - r): the rate interval must be symmetric */
            if (d->antithetic && d->law == IP_LAW_RATE && d->rate_lo + d->rate_hi != 1.0) return IP_ERR_ARG;
        } else if (d->systematic || d->antithetic) {
            return IP_ERR_ARG;
        }
        if (d->law == IP_LAW_RATE) {
            if (d->kind == IP_DESIGN_PAIRS && d->n_ranges != 1) return IP_ERR_ARG;
            return (d->rate_lo >= 0.0 && d->rate_lo <= d->rate_hi && d->rate_hi <= 1.0) ? IP_OK : IP_ERR_ARG;
        }
        if (d->law != IP_LAW_SIZE) return IP_ERR_ARG;
        if (d->kind == IP_DESIGN_SHARED_PAIRS) { /* optional size band [lo, hi], symmetric: lo + hi = n */
            if (d->n_ranges == 0) return IP_OK;
            if (d->n_ranges != 1) return IP_ERR_ARG;
            if (d->size_lo == NULL || d->size_hi == NULL) return IP_ERR_NULL;
            const int64_t lo = d->size_lo[0], hi = d->size_hi[0];
            return (lo >= 0 && lo <= hi && hi <= n && lo + hi == n) ? IP_OK : IP_ERR_RANGE;
        }
        if (d->size_lo == NULL || d->size_hi == NULL) return IP_ERR_NULL;
        if (d->n_ranges < 1) return IP_ERR_ARG;
        for (int64_t r = 0; r < d->n_ranges; ++r)
            if (d->size_lo[r] < 0 || d->size_lo[r] > d->size_hi[r] || d->size_hi[r] > n - 2) return IP_ERR_RANGE;
        return IP_OK;
    case IP_DESIGN_COALITIONS:
        if (d->systematic || d->antithetic) return IP_ERR_ARG;
        if (d->coalitions == NULL || d->absent == NULL) return IP_ERR_NULL;
        if (d->n_items < 1) return IP_ERR_ARG;
        for (int64_t q = 0; q < d->n_items; ++q) {
            const uint64_t *c = d->coalitions + q * words, *a = d->absent + q * words;
            if (row_has_bits_from(c, words, n) || row_has_bits_from(a, words, n)) return IP_ERR_RANGE;
            if (popcount_row(c, words) == 0) return IP_ERR_ARG;
            for (int64_t w = 0; w < words; ++w)
                if (c[w] & a[w]) return IP_ERR_ARG;
        }
        return IP_OK;
    }
    return IP_ERR_ARG;
}

int64_t ip_design_estimates(const ip_design *d) {
    switch (d->kind) {
    case IP_DESIGN_PERMUTATION: return d->n;
    case IP_DESIGN_PAIRS: return d->n_items * d->n_ranges;
    case IP_DESIGN_SHARED_PAIRS: return d->n_items * (d->systematic ? d->replicates : 1);
    default: return d->n_items;
    }
}

/* --- SHARED_PAIRS: the context of one sample -------------------------------------------------- */

/* floor(x * bound / 2^64): the position of x in bound equal parts of the 64-bit range. */
static uint64_t scaled_below(uint64_t x, uint64_t bound) {
#if defined(__SIZEOF_INT128__)
    __extension__ typedef unsigned __int128 u128;
    return (uint64_t)(((u128)x * bound) >> 64);
#else
    const uint64_t xl = x & 0xffffffffu, xh = x >> 32, bl = bound & 0xffffffffu, bh = bound >> 32;
    const uint64_t mid = (xl * bl >> 32) + (xh * bl & 0xffffffffu) + (xl * bh & 0xffffffffu);
    return xh * bh + (xh * bl >> 32) + (xl * bh >> 32) + (mid >> 32);
#endif
}

#define IP_GOLDEN_STEP 0x9E3779B97F4A7C15ull /* 2^64 / golden ratio */

/* Draws T ⊆ N into row (zeroed here): law IP_LAW_RATE, or IP_LAW_SIZE with |T| uniform in 0..n
 * (i.i.d. from counter 0, or, when d->systematic, the stratified size of designs.h). */
static void shared_draw(const ip_design *d, int64_t sample, uint64_t *row, int64_t words) {
    const int64_t n = d->n;
    const uint64_t stream = (uint64_t)sample;
    if (d->law == IP_LAW_RATE) {
        ip_context_row(IP_LAW_RATE, d->seed, stream, n, NULL, -1, -1, 0, 0, d->rate_lo, d->rate_hi, row, words);
        return;
    }
    /* the size band [lo, lo + span] (all sizes 0..n unless a band is given) */
    const int64_t lo = d->n_ranges == 1 ? d->size_lo[0] : 0, span = d->n_ranges == 1 ? d->size_hi[0] - lo : n;
    int64_t t;
    if (d->systematic) {
        const uint64_t r = (uint64_t)(sample % d->replicates), m = (uint64_t)(sample / d->replicates);
        const uint64_t x = ip_random_bits(d->seed, UINT64_MAX - r, 0) + m * IP_GOLDEN_STEP; /* mod 2^64 */
        const int64_t pos = (int64_t)scaled_below(x, (uint64_t)(span + 1));
        t = lo + (!d->antithetic ? pos : (pos % 2 == 0 ? pos / 2 : span - (pos - 1) / 2));
    } else {
        t = lo + (int64_t)ip_random_below(d->seed, stream, 0, (uint64_t)(span + 1));
    }
    for (int64_t w = 0; w < words; ++w) row[w] = 0;
    ip_subset_of_size(d->seed, stream, n, NULL, -1, -1, n, t, row);
}

/* single[p] = 1 for the players of the listed pairs, else -1; returns how many there are. */
static int64_t shared_mark(const ip_design *d, int64_t *single) {
    for (int64_t p = 0; p < d->n; ++p) single[p] = -1;
    for (int64_t q = 0; q < d->n_items; ++q) single[d->pairs[2 * q]] = single[d->pairs[2 * q + 1]] = 1;
    int64_t count = 0;
    for (int64_t p = 0; p < d->n; ++p) count += single[p] > 0;
    return count;
}

ip_status ip_design_sizes(const ip_design *d, int64_t sample0, int64_t count, int64_t *rows, int64_t *entries,
                          int64_t *runs) {
    if (rows == NULL || entries == NULL || runs == NULL) return IP_ERR_NULL;
    ip_status st = ip_design_check(d);
    if (st != IP_OK) return st;
    if (sample0 < 0 || count < 0) return IP_ERR_ARG;
    const int64_t n = d->n, words = ip_mask_words(n);
    if (d->kind != IP_DESIGN_SHARED_PAIRS) {
        (void)words;
        int64_t r = 0, e = 0, u = 0;
        if (d->kind == IP_DESIGN_PERMUTATION) r = n - 1, e = 2 * n, u = n;
        if (d->kind == IP_DESIGN_PAIRS) u = d->n_items * d->n_ranges, r = 4 * u, e = 4 * u;
        if (d->kind == IP_DESIGN_COALITIONS) u = d->n_items, r = 2 * u, e = 2 * u;
        for (int64_t k = 0; k < count; ++k) rows[k] = r, entries[k] = e, runs[k] = u;
        return IP_OK;
    }
    int64_t *single = (int64_t *)malloc((size_t)n * sizeof(int64_t));
    if (single == NULL) return IP_ERR_NOMEM;
    const int64_t players = shared_mark(d, single), P = d->n_items;
    free(single);
    (void)words;
    const int64_t halves = d->antithetic ? 2 : 1;
    for (int64_t k = 0; k < count; ++k) rows[k] = halves * (1 + players + P), entries[k] = halves * 4 * P, runs[k] = P;
    return IP_OK;
}

/* --- fill -------------------------------------------------------------------------------------- */

static void fill_permutation(const ip_design *d, int64_t sample, int64_t *perm, int64_t *pos, int64_t row0,
                             uint64_t *masks, int64_t *out, double *weight, int64_t *run_est, int64_t *run_end,
                             int64_t entry0, int64_t run0) {
    const int64_t n = d->n, words = ip_mask_words(n);
    ip_permutation_row(d->seed, (uint64_t)sample, n, perm);
    for (int64_t t = 0; t < n; ++t) pos[perm[t]] = t;
    for (int64_t t = 1; t < n; ++t) { /* prefix P_t = {π_0, ..., π_{t-1}} is row t - 1 */
        uint64_t *row = masks + (row0 + t - 1) * words;
        if (t == 1)
            for (int64_t w = 0; w < words; ++w) row[w] = 0;
        else
            ip_row_copy(row, row - words, words);
        ip_row_set(row, perm[t - 1]);
    }
    for (int64_t p = 0; p < n; ++p) {
        const int64_t t = pos[p], e = entry0 + 2 * p;
        out[e] = (t + 1 == n) ? 1 : 2 + row0 + t; /* P_{t+1} */
        weight[e] = 1.0;
        out[e + 1] = (t == 0) ? 0 : 2 + row0 + t - 1; /* P_t */
        weight[e + 1] = -1.0;
        run_est[run0 + p] = p;
        run_end[run0 + p] = e + 2;
    }
}

/* Writes the four entries of Δf = v(S+i+j) - v(S+i) - v(S+j) + v(S) for outputs (both, only_i, only_j, none). */
static void delta_entries(int64_t both, int64_t only_i, int64_t only_j, int64_t none, double w, int64_t *out,
                          double *weight, int64_t e) {
    out[e] = none, weight[e] = w;
    out[e + 1] = only_i, weight[e + 1] = -w;
    out[e + 2] = only_j, weight[e + 2] = -w;
    out[e + 3] = both, weight[e + 3] = w;
}

static void fill_pairs(const ip_design *d, int64_t sample, int64_t row0, uint64_t *masks, int64_t *out,
                       double *weight, int64_t *run_est, int64_t *run_end, int64_t entry0, int64_t run0) {
    const int64_t n = d->n, words = ip_mask_words(n), R = d->n_ranges, P = d->n_items;
    for (int64_t p = 0; p < P; ++p) {
        const int64_t i = d->pairs[2 * p], j = d->pairs[2 * p + 1];
        for (int64_t r = 0; r < R; ++r) {
            const int64_t u = p * R + r, row = row0 + 4 * u, e = entry0 + 4 * u;
            const uint64_t stream = (uint64_t)(sample * P * R + u);
            uint64_t *s = masks + row * words;
            const int64_t lo = d->law == IP_LAW_SIZE ? d->size_lo[r] : 0, hi = d->law == IP_LAW_SIZE ? d->size_hi[r] : 0;
            ip_context_row(d->law, d->seed, stream, n, NULL, i, j, lo, hi, d->rate_lo, d->rate_hi, s, words);
            ip_row_copy(s + words, s, words);
            ip_row_set(s + words, i);
            ip_row_copy(s + 2 * words, s, words);
            ip_row_set(s + 2 * words, j);
            ip_row_copy(s + 3 * words, s + words, words);
            ip_row_set(s + 3 * words, j);
            delta_entries(2 + row + 3, 2 + row + 1, 2 + row + 2, 2 + row, 1.0, out, weight, e);
            run_est[run0 + u] = u;
            run_end[run0 + u] = e + 4;
        }
    }
}

/* The rows of one context T (base) from masks row `row`: T, then T ⊕ p for the marked players
 * (single[p] >= 0 on entry) in player order, then T ⊕ i ⊕ j per pair. On return single[p] and
 * both[q] hold the outputs of T ⊕ p and T ⊕ i ⊕ j; returns the output of T. */
static int64_t shared_rows(const ip_design *d, const uint64_t *base, int64_t row, uint64_t *masks, int64_t *single,
                           int64_t *both) {
    const int64_t n = d->n, words = ip_mask_words(n);
    ip_row_copy(masks + row * words, base, words);
    const int64_t t_out = 2 + row++;
    for (int64_t p = 0; p < n; ++p) {
        if (single[p] < 0) continue;
        uint64_t *dst = masks + row * words;
        ip_row_copy(dst, base, words);
        dst[p >> 6] ^= (uint64_t)1 << (p & 63);
        single[p] = 2 + row++;
    }
    for (int64_t q = 0; q < d->n_items; ++q) {
        const int64_t i = d->pairs[2 * q], j = d->pairs[2 * q + 1];
        uint64_t *dst = masks + row * words;
        ip_row_copy(dst, base, words);
        dst[i >> 6] ^= (uint64_t)1 << (i & 63);
        dst[j >> 6] ^= (uint64_t)1 << (j & 63);
        both[q] = 2 + row++;
    }
    return t_out;
}

/* S = T ∖ {i, j} for every pair: the four coalitions S ∪ {i, j}-patterns are T with bits i, j
 * set to (1,1), (1,0), (0,1), (0,0); each is T itself, T ⊕ i, T ⊕ j or T ⊕ i ⊕ j. With
 * antithetic, the complement's rows follow and each run has 8 entries of weight ±1/2.
 * scratch: 2n + P int64 and 2 * words uint64. */
static void fill_shared(const ip_design *d, int64_t sample, int64_t *scratch, uint64_t *base, int64_t row0,
                        uint64_t *masks, int64_t *out, double *weight, int64_t *run_est, int64_t *run_end,
                        int64_t entry0, int64_t run0) {
    const int64_t n = d->n, words = ip_mask_words(n), P = d->n_items, halves = d->antithetic ? 2 : 1;
    const int64_t replicate = d->systematic ? sample % d->replicates : 0;
    int64_t *single = scratch, *both = scratch + n;
    shared_draw(d, sample, base, words);
    if (halves == 2) { /* the complement N ∖ T, bits >= n kept clear */
        uint64_t *comp = base + words;
        for (int64_t w = 0; w < words; ++w) comp[w] = ~base[w];
        if (n % 64) comp[words - 1] &= ((uint64_t)1 << (n % 64)) - 1;
    }
    const double w = 1.0 / (double)halves;
    int64_t row = row0;
    const int64_t per_half = 1 + shared_mark(d, single) + P;
    for (int64_t h = 0; h < halves; ++h, row += per_half) {
        const uint64_t *b = base + h * words;
        shared_mark(d, single);
        const int64_t t_out = shared_rows(d, b, row, masks, single, both);
        for (int64_t q = 0; q < P; ++q) {
            const int64_t i = d->pairs[2 * q], j = d->pairs[2 * q + 1];
            const int ti = ip_row_bit(b, i), tj = ip_row_bit(b, j);
            /* output of the coalition whose bits (i, j) are (a, c) */
#define IP_PATTERN(a, c) ((a) == ti ? ((c) == tj ? t_out : single[j]) : ((c) == tj ? single[i] : both[q]))
            delta_entries(IP_PATTERN(1, 1), IP_PATTERN(1, 0), IP_PATTERN(0, 1), IP_PATTERN(0, 0), w, out, weight,
                          entry0 + 4 * (halves * q + h));
#undef IP_PATTERN
        }
    }
    for (int64_t q = 0; q < P; ++q) {
        run_est[run0 + q] = replicate * P + q;
        run_end[run0 + q] = entry0 + 4 * halves * (q + 1);
    }
}

static void fill_coalitions(const ip_design *d, int64_t sample, const uint64_t *excluded, int64_t row0,
                            uint64_t *masks, int64_t *out, double *weight, int64_t *run_est, int64_t *run_end,
                            int64_t entry0, int64_t run0) {
    const int64_t n = d->n, words = ip_mask_words(n), Q = d->n_items;
    for (int64_t q = 0; q < Q; ++q) {
        const uint64_t *ex = excluded + q * words, *coalition = d->coalitions + q * words;
        const int64_t m = n - popcount_row(ex, words), row = row0 + 2 * q, e = entry0 + 2 * q;
        uint64_t *s = masks + row * words;
        ip_context_row(IP_LAW_SIZE, d->seed, (uint64_t)(sample * Q + q), n, ex, -1, -1, 0, m, 0.0, 0.0, s, words);
        for (int64_t w = 0; w < words; ++w) s[words + w] = s[w] | coalition[w];
        out[e] = 2 + row + 1, weight[e] = 1.0;
        out[e + 1] = 2 + row, weight[e + 1] = -1.0;
        run_est[run0 + q] = q;
        run_end[run0 + q] = e + 2;
    }
}

ip_status ip_design_fill(const ip_design *d, int64_t sample0, int64_t count, const int64_t *row_off,
                         const int64_t *entry_off, const int64_t *run_off, uint64_t *masks, int64_t *entry_output,
                         double *entry_weight, int64_t *run_estimate, int64_t *run_end) {
    if (row_off == NULL || entry_off == NULL || run_off == NULL) return IP_ERR_NULL;
    if ((masks == NULL && row_off[count] > 0) || entry_output == NULL || entry_weight == NULL ||
        run_estimate == NULL || run_end == NULL)
        return IP_ERR_NULL;
    ip_status st = ip_design_check(d);
    if (st != IP_OK) return st;
    if (sample0 < 0 || count < 0) return IP_ERR_ARG;
    const int64_t n = d->n, words = ip_mask_words(n);
    for (int64_t k = 0; k < count; ++k) /* offsets must be the prefix sums of the true sizes */
        if (row_off[k + 1] < row_off[k] || entry_off[k + 1] < entry_off[k] || run_off[k + 1] < run_off[k])
            return IP_ERR_ARG;
    {
        int64_t *r = (int64_t *)malloc(3 * (size_t)(count > 0 ? count : 1) * sizeof(int64_t));
        if (r == NULL) return IP_ERR_NOMEM;
        st = ip_design_sizes(d, sample0, count, r, r + count, r + 2 * count);
        for (int64_t k = 0; k < count && st == IP_OK; ++k)
            if (row_off[k + 1] - row_off[k] != r[k] || entry_off[k + 1] - entry_off[k] != r[count + k] ||
                run_off[k + 1] - run_off[k] != r[2 * count + k])
                st = IP_ERR_ARG;
        free(r);
        if (st != IP_OK) return st;
    }
    const int64_t per = d->kind == IP_DESIGN_COALITIONS ? 0 : (2 * n + d->n_items + 2 * words);
    int64_t *scratch = (int64_t *)malloc((size_t)(count > 0 ? count : 1) * (size_t)(per > 0 ? per : 1) * sizeof(int64_t));
    uint64_t *excluded = NULL;
    if (d->kind == IP_DESIGN_COALITIONS) {
        excluded = (uint64_t *)malloc((size_t)d->n_items * (size_t)words * sizeof(uint64_t));
        if (excluded != NULL)
            for (int64_t q = 0; q < d->n_items * words; ++q) excluded[q] = d->coalitions[q] | d->absent[q];
    }
    if (scratch == NULL || (d->kind == IP_DESIGN_COALITIONS && excluded == NULL)) {
        free(scratch), free(excluded);
        return IP_ERR_NOMEM;
    }
#pragma omp parallel for schedule(dynamic, 4) if (count > 4)
    for (int64_t k = 0; k < count; ++k) {
        int64_t *a = scratch + k * per;
        const int64_t sample = sample0 + k;
        switch (d->kind) {
        case IP_DESIGN_PERMUTATION:
            fill_permutation(d, sample, a, a + n, row_off[k], masks, entry_output, entry_weight, run_estimate, run_end,
                             entry_off[k], run_off[k]);
            break;
        case IP_DESIGN_PAIRS:
            fill_pairs(d, sample, row_off[k], masks, entry_output, entry_weight, run_estimate, run_end, entry_off[k],
                       run_off[k]);
            break;
        case IP_DESIGN_SHARED_PAIRS:
            fill_shared(d, sample, a, (uint64_t *)(a + 2 * n + d->n_items), row_off[k], masks, entry_output, entry_weight,
                        run_estimate, run_end, entry_off[k], run_off[k]);
            break;
        default:
            fill_coalitions(d, sample, excluded, row_off[k], masks, entry_output, entry_weight, run_estimate, run_end,
                            entry_off[k], run_off[k]);
        }
    }
    free(scratch), free(excluded);
    return IP_OK;
}
