#include "engine/designs.h"

#include <inttypes.h>
#include <stdlib.h>

#include "common/parallel.h"
#include "common/player_set.h"

static ip_status check_pairs(const ip_design *d, ip_error *err) {
    const int64_t n = d->n;
    if (n < 3) return ip_fail(err, IP_ERR_RANGE, "n", "n = %" PRId64 " is out of range: a pair design needs n >= 3", n);
    if (d->n_items < 1) return ip_fail(err, IP_ERR_ARG, "pairs", "pairs is empty: a pair design needs pairs [P >= 1, 2]");
    if (d->pairs == NULL) return ip_fail(err, IP_ERR_NULL, "pairs", "pairs is NULL");
    for (int64_t p = 0; p < d->n_items; ++p) {
        const int64_t i = d->pairs[2 * p], j = d->pairs[2 * p + 1];
        if (i < 0 || i >= n || j < 0 || j >= n)
            return ip_fail(err, IP_ERR_RANGE, "pairs", "pairs[%" PRId64 "] = (%" PRId64 ", %" PRId64 ") is out of range for n = %" PRId64,
                           p, i, j, n);
        if (i == j) return ip_fail(err, IP_ERR_ARG, "pairs", "pairs[%" PRId64 "] = (%" PRId64 ", %" PRId64 ") repeats a player", p, i, j);
    }
    if (d->law != IP_LAW_SIZE && d->law != IP_LAW_RATE)
        return ip_fail(err, IP_ERR_ARG, "law", "law = %d is not a context law", (int)d->law);
    if (d->kind == IP_DESIGN_SHARED_PAIRS) {
        if (d->systematic && d->law != IP_LAW_SIZE)
            return ip_fail(err, IP_ERR_ARG, "systematic", "systematic = true needs law 'size'");
        if (d->systematic ? d->replicates < 2 : d->replicates != 1)
            return ip_fail(err, IP_ERR_ARG, "replicates", "replicates = %" PRId64 " must be >= 2 when systematic, else 1",
                           d->replicates);
        /* the complement of a Bernoulli(r) set is Bernoulli(1 - r): the rate interval must be symmetric */
        if (d->antithetic && d->law == IP_LAW_RATE && d->rate_lo + d->rate_hi != 1.0)
            return ip_fail(err, IP_ERR_ARG, "antithetic", "antithetic = true with law 'rate' needs rate_lo + rate_hi = 1, got %g + %g",
                           d->rate_lo, d->rate_hi);
    } else if (d->systematic || d->antithetic || d->replicates != 1) {
        return ip_fail(err, IP_ERR_ARG, "systematic", "systematic, antithetic and replicates apply to 'shared_pairs' only");
    }
    if (d->law == IP_LAW_RATE) {
        if (!(d->rate_lo >= 0.0 && d->rate_lo <= d->rate_hi && d->rate_hi <= 1.0))
            return ip_fail(err, IP_ERR_RANGE, "rate_lo", "rate_lo = %g, rate_hi = %g: need 0 <= rate_lo <= rate_hi <= 1",
                           d->rate_lo, d->rate_hi);
        return IP_OK;
    }
    if (d->n_ranges > 0 && (d->size_lo == NULL || d->size_hi == NULL))
        return ip_fail(err, IP_ERR_NULL, "size_lo", "size_lo or size_hi is NULL");
    if (d->kind == IP_DESIGN_SHARED_PAIRS) { /* optional size band [lo, hi], symmetric: lo + hi = n */
        if (d->n_ranges == 0) return IP_OK;
        if (d->n_ranges != 1)
            return ip_fail(err, IP_ERR_ARG, "size_lo", "size_lo has %" PRId64 " entries; 'shared_pairs' takes at most one band",
                           d->n_ranges);
        const int64_t lo = d->size_lo[0], hi = d->size_hi[0];
        if (!(lo >= 0 && lo <= hi && hi <= n && lo + hi == n))
            return ip_fail(err, IP_ERR_RANGE, "size_lo",
                           "size_lo: the size band [%" PRId64 ", %" PRId64 "] is out of range: need 0 <= lo <= hi <= n and lo + hi = n = %" PRId64,
                           lo, hi, n);
        return IP_OK;
    }
    if (d->n_ranges < 1) return ip_fail(err, IP_ERR_ARG, "size_lo", "size_lo is empty: law 'size' needs >= 1 size range");
    for (int64_t r = 0; r < d->n_ranges; ++r)
        if (d->size_lo[r] < 0 || d->size_lo[r] > d->size_hi[r] || d->size_hi[r] > n - 2)
            return ip_fail(err, IP_ERR_RANGE, "size_lo",
                           "size_lo: size range %" PRId64 " = [%" PRId64 ", %" PRId64 "] is out of range: need 0 <= lo <= hi <= n - 2 = %" PRId64,
                           r, d->size_lo[r], d->size_hi[r], n - 2);
    return IP_OK;
}

/* single[p] = 1 for the players of the listed pairs, else -1; returns how many there are. */
static int64_t shared_mark(const ip_design *d, int64_t *single);

ip_status ip_design_check(const ip_design *d, ip_checked_design *out, ip_error *err) {
    if (d == NULL || out == NULL) return ip_fail(err, IP_ERR_NULL, "design", "design is NULL");
    const int64_t n = d->n;
    if (n < 1) return ip_fail(err, IP_ERR_RANGE, "n", "n = %" PRId64 " is out of range (need n >= 1)", n);
    /* per-sample sizes are O(n + items): these bounds keep every product below in int64 */
    if (n > IP_MAX_SET_PLAYERS)
        return ip_fail(err, IP_ERR_TOO_LARGE, "n", "n = %" PRId64 " is too large (at most %" PRId64 " players)", n,
                       IP_MAX_SET_PLAYERS);
    if (d->n_items < 0 || d->n_items > ((int64_t)1 << 40) || d->n_ranges < 0 || d->n_ranges > ((int64_t)1 << 20))
        return ip_fail(err, IP_ERR_TOO_LARGE, "pairs",
                       "pairs has %" PRId64 " items and size_lo %" PRId64 " ranges: out of range or too large",
                       d->n_items, d->n_ranges);
    ip_status st = IP_OK;
    int64_t rows = 0, entries = 0, runs = 0, estimates = 0;
    switch (d->kind) {
    case IP_DESIGN_PERMUTATION:
        if (d->systematic || d->antithetic || d->replicates != 1)
            return ip_fail(err, IP_ERR_ARG, "systematic", "systematic, antithetic and replicates apply to 'shared_pairs' only");
        rows = n - 1, entries = 2 * n, runs = n, estimates = n;
        break;
    case IP_DESIGN_PAIRS:
        if ((st = check_pairs(d, err)) != IP_OK) return st;
        {
            const int64_t ranges = d->law == IP_LAW_SIZE ? d->n_ranges : 1;
            if (!ip_mul_fits(d->n_items, ranges, &runs) || runs > ((int64_t)1 << 40))
                return ip_fail(err, IP_ERR_TOO_LARGE, "pairs", "pairs * size ranges overflows");
            rows = 4 * runs, entries = 4 * runs, estimates = runs;
        }
        break;
    case IP_DESIGN_SHARED_PAIRS: {
        if ((st = check_pairs(d, err)) != IP_OK) return st;
        int64_t *single = (int64_t *)malloc((size_t)n * sizeof(int64_t));
        if (single == NULL) return ip_fail(err, IP_ERR_NOMEM, "n", "n = %" PRId64 ": out of memory", n);
        const int64_t players = shared_mark(d, single);
        free(single);
        const int64_t halves = d->antithetic ? 2 : 1;
        rows = halves * (1 + players + d->n_items), entries = halves * 4 * d->n_items, runs = d->n_items;
        if (!ip_mul_fits(d->n_items, d->replicates, &estimates))
            return ip_fail(err, IP_ERR_TOO_LARGE, "replicates",
                           "replicates = %" PRId64 " makes pairs * replicates (%" PRId64 " * %" PRId64 ") overflow int64",
                           d->replicates, d->n_items, d->replicates);
        break;
    }
    default:
        return ip_fail(err, IP_ERR_ARG, "kind", "kind = %d is not a design kind", (int)d->kind);
    }
    out->d = *d;
    out->rows = rows, out->entries = entries, out->runs = runs, out->estimates = estimates;
    return IP_OK;
}

/* The stream index of the last sample's last item: sample * items + item must fit in int64. */
static int64_t streams_per_sample(const ip_checked_design *c) {
    switch (c->d.kind) {
    case IP_DESIGN_PAIRS: return c->runs;
    default: return 1;
    }
}

ip_status ip_design_block(const ip_checked_design *c, int64_t sample0, int64_t count, int64_t *rows,
                          int64_t *entries, int64_t *runs, ip_error *err) {
    if (c == NULL || rows == NULL || entries == NULL || runs == NULL)
        return ip_fail(err, IP_ERR_NULL, "design", "design or sizes is NULL");
    if (sample0 < 0) return ip_fail(err, IP_ERR_RANGE, "sample0", "sample0 = %" PRId64 " must be >= 0", sample0);
    if (count < 0) return ip_fail(err, IP_ERR_RANGE, "count", "count = %" PRId64 " must be >= 0", count);
    int64_t end, streams, r, e, u, mask_words;
    if (!ip_add_fits(sample0, count, &end) || !ip_mul_fits(end, streams_per_sample(c), &streams))
        return ip_fail(err, IP_ERR_TOO_LARGE, "count",
                       "count = %" PRId64 ": sample0 + count = %" PRId64 " + %" PRId64 " makes the stream indices overflow int64",
                       count, sample0, count);
    if (!ip_mul_fits(count, c->rows, &r) || !ip_mul_fits(count, c->entries, &e) || !ip_mul_fits(count, c->runs, &u) ||
        !ip_mul_fits(r, ip_mask_words(c->d.n), &mask_words))
        return ip_fail(err, IP_ERR_TOO_LARGE, "count",
                       "count = %" PRId64 " makes count * %" PRId64 " rows (or entries) overflow int64", count, c->rows);
    *rows = r, *entries = e, *runs = u;
    return IP_OK;
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
    ip_row_zero(row, words);
    ip_subset_of_size(d->seed, stream, n, NULL, -1, -1, n, t, row);
}

static int64_t shared_mark(const ip_design *d, int64_t *single) {
    for (int64_t p = 0; p < d->n; ++p) single[p] = -1;
    for (int64_t q = 0; q < d->n_items; ++q) single[d->pairs[2 * q]] = single[d->pairs[2 * q + 1]] = 1;
    int64_t count = 0;
    for (int64_t p = 0; p < d->n; ++p) count += single[p] > 0;
    return count;
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
            ip_row_zero(row, words);
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
    const int64_t n = d->n, words = ip_mask_words(n), R = d->law == IP_LAW_SIZE ? d->n_ranges : 1, P = d->n_items;
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
        ip_row_flip(dst, p);
        single[p] = 2 + row++;
    }
    for (int64_t q = 0; q < d->n_items; ++q) {
        const int64_t i = d->pairs[2 * q], j = d->pairs[2 * q + 1];
        uint64_t *dst = masks + row * words;
        ip_row_copy(dst, base, words);
        ip_row_flip(dst, i);
        ip_row_flip(dst, j);
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

ip_status ip_design_fill(const ip_checked_design *c, int64_t sample0, int64_t count, uint64_t *masks,
                         int64_t *entry_output, double *entry_weight, int64_t *run_estimate, int64_t *run_end,
                         ip_error *err) {
    int64_t total_rows, total_entries, total_runs;
    ip_status st = ip_design_block(c, sample0, count, &total_rows, &total_entries, &total_runs, err);
    if (st != IP_OK) return st;
    if (masks == NULL && total_rows > 0) return ip_fail(err, IP_ERR_NULL, "masks", "masks is NULL");
    if (entry_output == NULL && total_entries > 0) return ip_fail(err, IP_ERR_NULL, "entry_output", "entry_output is NULL");
    if (entry_weight == NULL && total_entries > 0) return ip_fail(err, IP_ERR_NULL, "entry_weight", "entry_weight is NULL");
    if (run_estimate == NULL && total_runs > 0) return ip_fail(err, IP_ERR_NULL, "run_estimate", "run_estimate is NULL");
    if (run_end == NULL && total_runs > 0) return ip_fail(err, IP_ERR_NULL, "run_end", "run_end is NULL");
    if (count == 0) return IP_OK;
    const ip_design *d = &c->d;
    const int64_t n = d->n, words = ip_mask_words(n);
    const int64_t per = 2 * n + d->n_items + 2 * words;
    int64_t scratch_size; /* per-sample scratch of count samples, in int64 */
    if (!ip_mul_fits(count, per, &scratch_size) || (uint64_t)scratch_size > SIZE_MAX / sizeof(int64_t))
        return ip_fail(err, IP_ERR_TOO_LARGE, "count",
                       "count = %" PRId64 " makes the scratch space (count * %" PRId64 " int64) overflow", count, per);
    int64_t *scratch = (int64_t *)malloc((size_t)scratch_size * sizeof(int64_t));
    if (scratch == NULL)
        return ip_fail(err, IP_ERR_NOMEM, "count", "count = %" PRId64 ": out of memory for the scratch space", count);
#pragma omp parallel for schedule(dynamic, 4) if (count > IP_OMP_MIN_SAMPLES / 16)
    for (int64_t k = 0; k < count; ++k) {
        int64_t *a = scratch + k * per;
        const int64_t sample = sample0 + k, row0 = k * c->rows, entry0 = k * c->entries, run0 = k * c->runs;
        switch (d->kind) {
        case IP_DESIGN_PERMUTATION:
            fill_permutation(d, sample, a, a + n, row0, masks, entry_output, entry_weight, run_estimate, run_end,
                             entry0, run0);
            break;
        case IP_DESIGN_PAIRS:
            fill_pairs(d, sample, row0, masks, entry_output, entry_weight, run_estimate, run_end, entry0, run0);
            break;
        default: /* IP_DESIGN_SHARED_PAIRS */
            fill_shared(d, sample, a, (uint64_t *)(a + 2 * n + d->n_items), row0, masks, entry_output, entry_weight,
                        run_estimate, run_end, entry0, run0);
        }
    }
    free(scratch);
    return IP_OK;
}
