#include "exact/pair_orders.h"

#include <stdint.h>
#include <stdlib.h>

#include "common/combinatorics.h"
#include "common/parallel.h"
#include "exact/game_indices.h"
#include "exact/subset_transform.h"

/* The full mask of compressed context c: insert zero bits at positions lo < hi. */
static int64_t expand_context(int64_t c, int64_t lo, int64_t hi) {
    const int64_t low = ((int64_t)1 << lo) - 1;
    c = ((c & ~low) << 1) | (c & low);
    const int64_t low2 = ((int64_t)1 << hi) - 1;
    return ((c & ~low2) << 1) | (c & low2);
}

/* out[s] <- mean of table[c] over the compressed masks c with popcount s. */
static void mean_by_size(const double *table, int m, double *out) {
    for (int s = 0; s <= m; ++s) out[s] = 0.0;
    const int64_t size = (int64_t)1 << m;
    for (int64_t c = 0; c < size; ++c) out[ip_popcount((uint64_t)c)] += table[c];
    for (int s = 0; s <= m; ++s) out[s] /= ip_binomial(m, s);
}

ip_status ip_multi_order_interaction(const double *values, int n, int64_t i, int64_t j, double *orders,
                                     double *marginal, double *rewards, ip_error *err) {
    if (values == NULL || orders == NULL) return ip_fail(err, IP_ERR_NULL, "values", "values or orders is NULL");
    ip_status st = ip_check_exact_players(n, err);
    if (st == IP_OK) st = ip_check_pair(n, i, j, err);
    if (st != IP_OK) return st;
    const int64_t lo = i < j ? i : j, hi = i < j ? j : i;
    const int m = n - 2;
    const int64_t size = (int64_t)1 << m;
    const int64_t bi = (int64_t)1 << i, bj = (int64_t)1 << j;
    double *delta = rewards;
    if (delta == NULL) {
        delta = (double *)malloc(sizeof(double) * (size_t)size);
        if (delta == NULL) return ip_fail(err, IP_ERR_NOMEM, "values", "values: no memory for 2^%d doubles", m);
    }
#pragma omp parallel for if (size > IP_OMP_MIN_ELEMENTS)
    for (int64_t c = 0; c < size; ++c) {
        const int64_t s = expand_context(c, lo, hi);
        delta[c] = values[s | bi | bj] - values[s | bi] - values[s | bj] + values[s];
    }
    mean_by_size(delta, m, orders);
    if (marginal != NULL || rewards != NULL) {
        if (m > 0) st = ip_moebius_inplace(delta, m, err);
        if (st == IP_OK && marginal != NULL) mean_by_size(delta, m, marginal);
    }
    if (delta != rewards) free(delta);
    return st;
}
