#include "pair_orders.h"

#include <stdint.h>
#include <stdlib.h>

#include "combinatorics.h"
#include "subset_transform.h"

/* The full mask of compressed context c: insert zero bits at positions lo < hi. */
static int64_t expand_context(int64_t c, int lo, int hi) {
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

ip_status ip_multi_order_interaction(const double *values, int n, int i, int j, double *orders, double *marginal,
                                     double *rewards) {
    if (values == NULL || orders == NULL) return IP_ERR_NULL;
    ip_status st = ip_check_exact_players(n);
    if (st != IP_OK) return st;
    if (n < 2 || i < 0 || j < 0 || i >= n || j >= n || i == j) return IP_ERR_RANGE;
    const int lo = i < j ? i : j, hi = i < j ? j : i;
    const int m = n - 2;
    const int64_t size = (int64_t)1 << m;
    const int64_t bi = (int64_t)1 << i, bj = (int64_t)1 << j;
    double *delta = rewards;
    if (delta == NULL) {
        delta = (double *)malloc(sizeof(double) * (size_t)size);
        if (delta == NULL) return IP_ERR_NOMEM;
    }
#pragma omp parallel for if (size > 65536)
    for (int64_t c = 0; c < size; ++c) {
        const int64_t s = expand_context(c, lo, hi);
        delta[c] = values[s | bi | bj] - values[s | bi] - values[s | bj] + values[s];
    }
    mean_by_size(delta, m, orders);
    if (marginal != NULL || rewards != NULL) {
        if (m > 0) st = ip_moebius_inplace(delta, m);
        if (st == IP_OK && marginal != NULL) mean_by_size(delta, m, marginal);
    }
    if (delta != rewards) free(delta);
    return st;
}
