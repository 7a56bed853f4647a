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

/* scratch[S] <- sum_{T ⊇ S} weight[|T|] * d(T), for the dividends of values. */
static ip_status weighted_superset_sums(const double *values, int n, const double *weight, double *scratch,
                                        ip_error *err) {
    ip_status st = ip_harsanyi_dividends(values, n, scratch, err);
    if (st != IP_OK) return st;
    const int64_t size = (int64_t)1 << n;
#pragma omp parallel for if (size > IP_OMP_MIN_ELEMENTS)
    for (int64_t t = 0; t < size; ++t) scratch[t] *= weight[ip_popcount((uint64_t)t)];
    return ip_superset_sum_inplace(scratch, n, err);
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
    double *scratch = (double *)malloc(sizeof(double) * ((size_t)1 << n));
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
    free(scratch);
    return st;
}

ip_status ip_player_values(const double *values, int n, ip_index_kind kind, double *out, ip_error *err) {
    return superset_index(values, n, kind, 1, out, err);
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
