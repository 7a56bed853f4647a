#include "exact/game_indices.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/combinatorics.h"
#include "common/parallel.h"
#include "exact/subset_transform.h"

static ip_status check_kind(ip_index_kind kind, ip_error *err) {
    if (kind != IP_SHAPLEY && kind != IP_BANZHAF)
        return ip_fail(err, IP_ERR_ARG, "index", "index = %d is not an index kind (0 Shapley, 1 Banzhaf)", (int)kind);
    return IP_OK;
}

ip_status ip_check_pair(int n, int64_t i, int64_t j, ip_error *err) {
    if (i < 0 || i >= n)
        return ip_fail(err, IP_ERR_RANGE, "i", "i = %" PRId64 " is out of range for n = %d players", i, n);
    if (j < 0 || j >= n)
        return ip_fail(err, IP_ERR_RANGE, "j", "j = %" PRId64 " is out of range for n = %d players", j, n);
    if (i == j) return ip_fail(err, IP_ERR_ARG, "j", "j = %" PRId64 " equals i: a pair needs two players", j);
    return IP_OK;
}

ip_status ip_harsanyi_dividends(const double *values, int n, double *out, ip_error *err) {
    if (values == NULL || out == NULL) return ip_fail(err, IP_ERR_NULL, "values", "values or out is NULL");
    ip_status st = ip_check_exact_players(n, err);
    if (st != IP_OK) return st;
    if (out != values) memcpy(out, values, sizeof(double) * ((size_t)1 << n));
    return ip_moebius_inplace(out, n, err);
}

/* scratch[S] <- sum_{T ⊇ S} weight[|T|] * d(T), for the dividends of values (one fused, cache-blocked pass). */
static ip_status weighted_superset_sums(const double *values, int n, const double *weight, double *scratch,
                                        ip_error *err) {
    return ip_moebius_weighted_superset(values, scratch, n, weight, err);
}

/* weight[t] for t = 0..n; order 1 (player values) or 2 (pair interactions). */
static void index_weights(int n, ip_index_kind kind, int order, double *weight) {
    for (int t = 0; t <= n; ++t) {
        if (t < order)
            weight[t] = 0.0;
        else if (kind == IP_SHAPLEY)
            weight[t] = 1.0 / (double)(t - order + 1);
        else
            weight[t] = ldexp(1.0, -(t - order));
    }
}

static ip_status superset_index(const double *values, int n, ip_index_kind kind, int order, double *out,
                                ip_error *err) {
    if (values == NULL || out == NULL) return ip_fail(err, IP_ERR_NULL, "values", "values or out is NULL");
    ip_status st = check_kind(kind, err);
    if (st == IP_OK) st = ip_check_exact_players(n, err);
    if (st != IP_OK) return st;
    double weight[IP_MAX_EXACT_PLAYERS + 1];
    index_weights(n, kind, order, weight);
    double *scratch = ip_table_alloc((int64_t)1 << n);
    if (scratch == NULL) return ip_fail(err, IP_ERR_NOMEM, "values", "values: no memory for 2^%d doubles", n);
    st = weighted_superset_sums(values, n, weight, scratch, err);
    if (st == IP_OK) {
        for (int i = 0; i < n; ++i) {
            if (order == 1) {
                out[i] = scratch[(int64_t)1 << i];
                continue;
            }
            for (int j = 0; j < n; ++j)
                out[i * n + j] = (i == j) ? 0.0 : scratch[((int64_t)1 << i) | ((int64_t)1 << j)];
        }
    }
    ip_table_free(scratch);
    return st;
}

/* sum_S w[|S|] values[S] over values[0 .. size) (size a power of two; the coalition of values[s] has
 * popcount(s) + extra players), halves summed pairwise. */
#define LEAF_BITS 12
static double weighted_sum(const double *values, int64_t size, const double *w, int extra, const unsigned char *ones) {
    if (size <= ((int64_t)1 << LEAF_BITS)) {
        double total = 0.0;
        for (int64_t s = 0; s < size; ++s) total += w[ones[s] + extra] * values[s];
        return total;
    }
    const int64_t half = size / 2;
    return weighted_sum(values, half, w, extra, ones) + weighted_sum(values + half, half, w, extra + 1, ones);
}

/* Player values straight from v, without the dividends (whose rounding grows with n):
 *   phi(i) = sum_{S ∋ i} a(|S|) v(S) - sum_{S ∌ i} b(|S|) v(S) = Z({i}) - K,
 * Z the superset sums of (a + b)(|S|) v(S), K = sum_S b(|S|) v(S); Shapley a(s) = (s-1)!(n-s)!/n!,
 * b(s) = s!(n-s-1)!/n!; Banzhaf a = b = 2^{-(n-1)}. Every term is bounded by max|v| times its weight,
 * so the error stays near n eps max|v| (efficiency to ~1e-14 max|v| at n = 24). */
ip_status ip_player_values(const double *values, int n, ip_index_kind kind, double *out, ip_error *err) {
    if (values == NULL || out == NULL) return ip_fail(err, IP_ERR_NULL, "values", "values or out is NULL");
    ip_status st = check_kind(kind, err);
    if (st == IP_OK) st = ip_check_exact_players(n, err);
    if (st != IP_OK) return st;
    double a[IP_MAX_EXACT_PLAYERS + 1], b[IP_MAX_EXACT_PLAYERS + 1], sum[IP_MAX_EXACT_PLAYERS + 1];
    for (int s = 0; s <= n; ++s) {
        if (kind == IP_SHAPLEY) {
            a[s] = s >= 1 ? ip_shapley_weight(s - 1, n - 1) : 0.0;
            b[s] = s <= n - 1 ? ip_shapley_weight(s, n - 1) : 0.0;
        } else {
            a[s] = s >= 1 ? ldexp(1.0, -(n - 1)) : 0.0;
            b[s] = s <= n - 1 ? ldexp(1.0, -(n - 1)) : 0.0;
        }
        sum[s] = a[s] + b[s];
    }
    const int64_t size = (int64_t)1 << n, leaf = (int64_t)1 << LEAF_BITS;
    unsigned char ones[(int64_t)1 << LEAF_BITS]; /* popcounts of the low LEAF_BITS bits */
    for (int64_t j = 0; j < leaf; ++j) ones[j] = (unsigned char)ip_popcount((uint64_t)j);
    double *scratch = ip_table_alloc(size);
    if (scratch == NULL) return ip_fail(err, IP_ERR_NOMEM, "values", "values: no memory for 2^%d doubles", n);
    const int64_t step = size < leaf ? size : leaf;
#pragma omp parallel for if (size > IP_OMP_MIN_ELEMENTS)
    for (int64_t base = 0; base < size; base += step) {
        const double *w = sum + ip_popcount((uint64_t)base);
        for (int64_t j = 0; j < step; ++j) scratch[base + j] = w[ones[j]] * values[base + j];
    }
    st = ip_superset_sum_inplace(scratch, n, err);
    if (st == IP_OK) {
        const double K = weighted_sum(values, size, b, 0, ones);
        for (int i = 0; i < n; ++i) out[i] = scratch[(int64_t)1 << i] - K;
    }
    ip_table_free(scratch);
    return st;
}

ip_status ip_pair_interaction_matrix(const double *values, int n, ip_index_kind kind, double *out, ip_error *err) {
    return superset_index(values, n, kind, 2, out, err);
}

ip_status ip_pair_interaction(const double *values, int n, int64_t i, int64_t j, ip_index_kind kind, double *out,
                              ip_error *err) {
    if (values == NULL || out == NULL) return ip_fail(err, IP_ERR_NULL, "values", "values or out is NULL");
    ip_status st = check_kind(kind, err);
    if (st == IP_OK) st = ip_check_exact_players(n, err);
    if (st == IP_OK) st = ip_check_pair(n, i, j, err);
    if (st != IP_OK) return st;
    const int64_t bi = (int64_t)1 << i, bj = (int64_t)1 << j;
    const int64_t rest = (((int64_t)1 << n) - 1) & ~(bi | bj);
    const int m = n - 2;
    double weight[IP_MAX_EXACT_PLAYERS + 1];
    for (int s = 0; s <= m; ++s) weight[s] = (kind == IP_SHAPLEY) ? ip_shapley_weight(s, m) : ldexp(1.0, -m);
    double total = 0.0;
    int64_t s = rest;
    for (;;) { /* every S ⊆ rest, by submask enumeration */
        const double delta = values[s | bi | bj] - values[s | bi] - values[s | bj] + values[s];
        total += weight[ip_popcount((uint64_t)s)] * delta;
        if (s == 0) break;
        s = (s - 1) & rest;
    }
    *out = total;
    return IP_OK;
}
